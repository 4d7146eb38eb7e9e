"""Who may use the server from a browser: the Host a request names and the origin of the page that sent it.

Every page open in the developer's browser can send requests to a port on loopback: simple requests (GET,
and POSTs of text/plain or form bodies) go out without a preflight and carry an `Origin` header (POSTs) or
`Sec-Fetch-Site` (modern browsers, every request), and a page on a name it rebinds to 127.0.0.1 (DNS
rebinding) is even same-origin with the server. So:

- while bound to loopback, a Host that is not a loopback name or an `--allowed-hosts` name is refused on
  every route: no rebound name reaches the server (bound wider, only when `--allowed-hosts` names the
  server's names; addresses are answered then too);
- `/_mock/` (the admin API) refuses any request a browser marks as coming from another origin, and never
  sends CORS headers: no page can change the mode, read the journal or add rules;
- in record modes an API request from another origin is refused before anything is forwarded unless its
  origin is in `--record-origins`: no page spends the upstream key.
"""
from __future__ import annotations

import ipaddress
from typing import Callable

from dummy_openai_api.proxy.core.config import Settings, is_loopback
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Request

ADMIN_PREFIX = "/_mock/"
FOREIGN_FETCH = frozenset({"cross-site", "same-site"})  # Sec-Fetch-Site values of another origin's request
_HOST_CACHE_SIZE = 256


class Gate:
    """Checks a request's Host and Origin against the settings; the refusals are 403s in the API's envelope."""

    def __init__(self, settings: Settings, recording: Callable[[], bool]) -> None:
        self.extra_hosts = frozenset(name.lower() for name in settings.allowed_hosts)
        # Beyond loopback the names are not known: the check is on when --allowed-hosts lists them, and then
        # an address (which no DNS answer can rebind) is fine too.
        self.wide = not is_loopback(settings.host)
        self.check_hosts = not self.wide or bool(self.extra_hosts)
        self.record_origins = frozenset(settings.record_origins)
        self.recording = recording
        self._hosts: dict[str, bool] = {}  # Host header -> allowed, for the few values a server sees

    def check_host(self, request: Request) -> None:
        """Raises the 403 for a Host that is not one of the server's names (a rebound name)."""
        if not self.check_hosts:
            return
        host = request.headers.get("Host")
        if host is not None and not self._hosts.get(host, False) and not self._host_allowed(host):
            raise forbidden(f"Host {host[:100]!r} is not one of this server's names (localhost, 127.x, [::1], "
                            "and those given with --allowed-hosts).", "host_not_allowed")

    def check_origin(self, request: Request, api: bool) -> None:
        """Raises the 403 for another origin's request to the admin API, or to the API (`api`) while recording."""
        if request.path.startswith(ADMIN_PREFIX):
            if foreign(request):
                raise forbidden("The admin API does not answer requests from other origins.", "origin_not_allowed")
        elif api and self.recording() and foreign(request) and not self.may_record(request):
            raise forbidden(f"Origin {request.headers.get('Origin', '(none)')[:100]!r} may not call the API while "
                            "it records: it would spend the upstream key (allow it with --record-origins).",
                            "origin_not_allowed")

    def may_record(self, request: Request) -> bool:
        return "*" in self.record_origins or request.headers.get("Origin") in self.record_origins

    def _host_allowed(self, host: str) -> bool:
        allowed = self._hosts.get(host)
        if allowed is None:
            name = host_name(host)
            allowed = is_loopback(name) or name in self.extra_hosts or (self.wide and is_address(name))
            if len(self._hosts) < _HOST_CACHE_SIZE:
                self._hosts[host] = allowed
        return allowed


def host_name(host: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` -> `[::1]`, `Localhost:80` -> `localhost`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def foreign(request: Request) -> bool:
    """Whether a browser marks the request as sent by a page of another origin than the server's own."""
    headers = request.headers
    if headers.get("Sec-Fetch-Site", "").lower() in FOREIGN_FETCH:
        return True
    origin = headers.get("Origin")
    if origin is None:
        return False  # not from a browser page (curl, SDKs), or a same-origin GET
    own = headers.get("Host", "")
    return origin not in (f"http://{own}", f"https://{own}")


def forbidden(message: str, code: str) -> APIError:
    return APIError(403, message, type="invalid_request_error", code=code)
