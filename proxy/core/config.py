"""Settings: one frozen dataclass whose fields are the command-line flags and environment variables.

Each field carries its help text, its environment variable and a parser; `parse_settings` turns
argv + environ into a validated `Settings` (flags win over the environment), and a bad value stops
start-up with a one-line message.
"""
from __future__ import annotations

import argparse
import dataclasses
import difflib
import enum
import ipaddress
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NoReturn, Sequence

from dummy_openai_api.proxy import __version__
from dummy_openai_api.proxy.core.keys import NAMED_VOLATILE, KeyRules


class Mode(str, enum.Enum):
    """Where answers may come from."""

    SYNTHETIC = "synthetic"  # generators only
    REPLAY = "replay"  # cassette hit, else generators
    STRICT = "strict"  # cassettes only; a miss is an error
    RECORD = "record"  # cassette hit, else forward to the upstream and record
    RECORD_ALL = "record-all"  # always forward and record again

    @property
    def uses_cassettes(self) -> bool:
        return self is not Mode.SYNTHETIC and self is not Mode.RECORD_ALL

    @property
    def records(self) -> bool:
        return self in (Mode.RECORD, Mode.RECORD_ALL)


class Latency(str, enum.Enum):
    NONE = "none"  # answer at once: fixtures must be fast
    REALISTIC = "realistic"  # timings like a hosted API's: chat 0.5-2.0 s, embeddings ~0.1 s, 10 ms per chunk


class EventLoop(str, enum.Enum):
    AUTO = "auto"  # uvloop where it is installed, else asyncio's own
    ASYNCIO = "asyncio"
    UVLOOP = "uvloop"


class Matching(str, enum.Enum):
    BODY = "body"  # method, path, query and canonical body
    LOOSE = "loose"  # method and path only, in recorded order


class Exhausted(str, enum.Enum):
    REPEAT = "repeat"  # keep serving a key's last recording
    MISS = "miss"  # treat a used-up key as a miss


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be 0-65535, got {port}")
    return port


def _non_negative(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if value < 0:
            raise ValueError(f"must be >= 0, got {text}")
        return value
    return parse


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(f"must be > 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(f"must be >= 1, got {text}")
    return value


def _choice(kind: type[enum.Enum]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return kind(text.strip().lower())
        except ValueError:
            raise ValueError("expected one of " + ", ".join(m.value for m in kind)) from None
    return parse


def _url(text: str) -> str:
    if not re.match(r"^https?://[^/\s]+", text.strip()):
        raise ValueError("expected an http:// or https:// URL")
    return text.strip().rstrip("/")


def _origins(text: str) -> tuple[str, ...]:
    """Browser origins (`scheme://host[:port]`, as an Origin header spells them) or `*`."""
    origins = tuple(name.rstrip("/") for name in _names(text))
    for origin in origins:
        if origin != "*" and not re.fullmatch(r"https?://[^/\s?#]+", origin):
            raise ValueError(f"expected origins like http://localhost:3000, got {origin!r}")
    return origins


def is_loopback(host: str) -> bool:
    """Whether a listen address or Host name reaches only this machine (localhost, 127.x, ::1)."""
    name = host.strip().lower().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(f"must be between 0 and 1, got {text}")
    return value


# Faults a request can ask for (X-Mock-Fault), rules can give and chaos can pick; any 4xx/5xx status too.
FAULT_KINDS = ("429", "429-tokens", "429-quota", "timeout", "disconnect", "malformed-json", "stream-cut",
               "stream-error")


def fault_kind(text: str) -> str:
    """A fault name: one of FAULT_KINDS or an HTTP error status; ValueError names the choices otherwise."""
    name = text.strip().lower()
    if name in FAULT_KINDS or (name.isdigit() and 400 <= int(name) <= 599):
        return name
    raise ValueError(f"unknown fault {text!r}: expected an HTTP status 400-599 or one of " + ", ".join(FAULT_KINDS))


def _faults(text: str) -> tuple[str, ...]:
    return tuple(fault_kind(name) for name in _names(text))


def _status(text: str) -> int:
    status = int(text)
    if not 400 <= status <= 599:
        raise ValueError(f"expected an HTTP error status 400-599, got {status}")
    return status


def _patterns(text: str) -> tuple[str, ...]:
    """Names or regexes: a JSON list, or comma-separated when none holds a comma; each must compile."""
    items = json.loads(text) if text.strip().startswith("[") else _names(text)
    for item in items:
        try:
            re.compile(NAMED_VOLATILE.get(item, item))
        except re.error as error:
            raise ValueError(f"bad regex {item!r}: {error}") from None
    return tuple(items)


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """`a=b,c=d` -> (("a", "b"), ("c", "d"))."""
    pairs = []
    for part in _names(text):
        left, sep, right = part.partition("=")
        if not sep or not left:
            raise ValueError(f"expected NAME=VALUE, got {part!r}")
        pairs.append((left.strip(), right.strip()))
    return tuple(pairs)


def _state_url(text: str) -> str:
    """memory, sqlite:///PATH or redis://HOST:PORT/DB (rediss:// for TLS)."""
    text = text.strip()
    if text in ("", "memory") or text.startswith(("sqlite:///", "redis://", "rediss://", "unix://")):
        return text
    raise ValueError(f"expected memory, sqlite:///PATH or redis://HOST:PORT/DB, got {text[:60]!r}")


def setting(default: Any, help: str, parse: Callable[[str], Any] = str, env: str | None = None,
            flag: str | None = None) -> Any:
    """A Settings field: its default, help text, parser, and (if not derived from the name) env var and flag."""
    return field(default=default, metadata={"help": help, "parse": parse, "env": env, "flag": flag})


PUBLIC_KEY = "sk-dummy"  # the default API key: published in the README, so it protects nothing from anyone


@dataclass(frozen=True)
class Settings:
    host: str = setting("127.0.0.1", "address to listen on (binding beyond loopback is explicit, and warned about)")
    port: int = setting(8000, "port to listen on (0 picks a free one)", _port, env="PORT")
    api_key: str = setting(PUBLIC_KEY, "the API key clients must send as `Authorization: Bearer <key>`",
                           env="API_KEY")
    auth: bool = setting(True, "require the API key; --no-auth accepts any key or none", _bool)
    expose_without_auth: bool = setting(False, "allow --auth false while bound beyond loopback (the API and the "
                                        "admin API open to the network)", _bool)
    allowed_hosts: tuple[str, ...] = setting((), "Host names answered besides localhost, 127.x and [::1], "
                                             "comma-separated (others are refused: DNS rebinding); beyond "
                                             "loopback, setting it turns the check on", _names)
    record_origins: tuple[str, ...] = setting((), "browser origins that may call /v1 in record modes, "
                                              "comma-separated (others get 403 before anything is forwarded)",
                                              _origins)
    any_model: bool = setting(False, "accept any model name instead of answering 404 model_not_found", _bool)
    accept_unknown_fields: bool = setting(False, "accept body fields the API does not know on chat, responses and "
                                          "images (the real API refuses them with 400)", _bool)
    mode: Mode = setting(Mode.REPLAY, "synthetic, replay, strict, record or record-all", _choice(Mode))
    cassettes: str = setting("cassettes", "cassette directory (searched recursively)")
    upstream: str = setting("https://api.openai.com/v1", "base URL of the real API that record modes forward to",
                            _url)
    upstream_key: str = setting("", "API key for the upstream: only ever sent there, never recorded, logged or "
                                "taken from clients (prefer the environment variable: flags show in `ps`)")
    record_to: str = setting("recorded", "cassette that new recordings go to (a request's X-Cassette header wins)")
    record_errors: bool = setting(False, "record upstream 4xx/5xx answers too", _bool)
    matching: Matching = setting(Matching.BODY, "body (method, path, query and body) or loose (method and path, "
                                 "in recorded order)", _choice(Matching))
    on_exhausted: Exhausted = setting(Exhausted.REPEAT, "when a request's recordings are used up: repeat the "
                                      "last, or miss", _choice(Exhausted))
    ignore_fields: tuple[str, ...] = setting((), "body fields left out of the request key, comma-separated "
                                             "dotted paths (user,metadata,stream_options.include_obfuscation)",
                                             _names)
    volatile: tuple[str, ...] = setting((), "text replaced before hashing: uuid, timestamp, or regexes (a JSON "
                                        "list when a regex holds a comma)", _patterns)
    path_map: tuple[tuple[str, str], ...] = setting((), "provider path prefixes mapped onto /v1, e.g. "
                                                    "/openai/deployments/gpt4=/v1,/api/v1=/v1", _pairs)
    replay_speed: float = setting(0.0, "replayed streams: 0 = as fast as possible, 1 = the recorded timing, "
                                  "2 = twice as slow", _non_negative(float))
    zero_retry_after: bool = setting(False, "replay retry-after headers as 0 so clients do not sleep", _bool)
    miss_status: int = setting(404, "HTTP status of a strict-mode cassette miss", _status)
    cassette_cache: bool = setting(True, "keep each cassette's parse in <cassettes>/.cassette-cache (ignored by git) "
                                   "so large directories load fast from the second start on", _bool)
    cassette_body_mb: float = setting(64.0, "largest body a cassette may hold once decompressed, in MiB; a cassette "
                                      "with a larger one is refused at load, naming the file", _positive)
    usage_file: str = setting("", "at shutdown, write which recorded interactions were served (JSON) here, for "
                              "`main.py cassettes prune`")
    upstream_timeout: float = setting(600.0, "seconds an upstream answer may take in all",
                                      _non_negative(float))
    replies: str = setting("", "YAML/JSON file of canned replies and keyword rules for synthetic chat")
    latency: Latency = setting(Latency.NONE, "none, or realistic (chat 0.5-2.0 s, embeddings about 0.1 s, 10 ms per chunk)", _choice(Latency))
    ttft_ms: float = setting(0.0, "time to first token of a synthetic answer, in milliseconds",
                             _non_negative(float))
    tokens_per_second: float = setting(0.0, "pace of streamed synthetic tokens; 0 = as fast as possible",
                                       _non_negative(float))
    azure_deployments: tuple[tuple[str, str], ...] = setting((), "Azure deployment names mapped to models, "
                                                             "e.g. prod-chat=gpt-4o,search=text-embedding-3-small "
                                                             "(an unmapped deployment named like a model is that "
                                                             "model)", _pairs)
    jitter: float = setting(0.0, "latency jitter: each simulated delay is scaled by a random factor in [1-j, 1+j]",
                            _fraction)
    latency_seed: int = setting(0, "seed of the jitter: the same seed and requests give the same delays", int)
    chaos_rate: float = setting(0.0, "share of API requests (0-1) that get a random fault", _fraction)
    chaos_faults: tuple[str, ...] = setting(("429", "500", "503", "disconnect"), "faults that chaos picks from, "
                                            "comma-separated", _faults)
    chaos_seed: int = setting(0, "seed of the chaos draws: the same seed and requests give the same faults", int)
    rate_limit_rpm: int = setting(0, "requests per minute allowed per API key; 0 = unlimited", _non_negative(int))
    rate_limit_tpm: int = setting(0, "tokens per minute allowed per API key; 0 = unlimited", _non_negative(int))
    admin_key: str = setting("", "key for the /_mock/ admin API; empty = the API key")
    journal_size: int = setting(1000, "requests kept in the journal, oldest dropped first (0 = none)",
                                _non_negative(int))
    journal_body_limit: int = setting(65536, "bytes of each request and answer body kept in the journal",
                                      _non_negative(int))
    dashboard: bool = setting(True, "serve the dashboard page at / to browsers", _bool)
    responses_limit: int = setting(1000, "stored Responses API responses kept for retrieval and previous_response_id "
                                   "(the oldest are evicted beyond it)", _positive_int)
    background_seconds: float = setting(0.5, "seconds a background response takes from queued to completed",
                                        _non_negative(float))
    cors_origins: tuple[str, ...] = setting(("*",), "origins allowed to read /v1 answers (CORS), comma-separated "
                                            "(default *); never the admin API",
                                            _origins)
    max_body_mb: float = setting(32.0, "largest request body in MiB; a larger one is refused with 413 before it "
                                 "is read", _positive)
    client_timeout: float = setting(300.0, "seconds a client may take to send a request's headers, or its body, "
                                    "and stay idle between requests", _positive)
    max_connections: int = setting(0, "open client connections per process; past it a new one replaces the "
                                   "longest idle, or is answered 503 when all are busy (0 = from the open-files "
                                   "limit)", _non_negative(int))
    access_log: bool = setting(True, "log one line per request", _bool)
    workers: int = setting(1, "processes answering on the port (0 = one per core); cassettes load once, before they "
                           "start", _non_negative(int))
    state: str = setting("", "where state shared by processes lives (admin changes, stored objects, the journal, "
                         "rate limits): memory, sqlite:///PATH (the processes of one machine) or redis://HOST:PORT/DB "
                         "(replicas on many machines); empty: memory for one process, a temporary SQLite file for "
                         "--workers N", _state_url)
    preload_tokenizer: bool = setting(True, "load the tokenizer (and import the handlers start-up left for first "
                                      "use) in a background thread right after start-up; API requests that come "
                                      "first wait for it (--no-preload-tokenizer: on the first request that needs "
                                      "each, saving about 40 MB until then)", _bool)
    event_loop: EventLoop = setting(EventLoop.AUTO, "auto (uvloop when installed), asyncio or uvloop",
                                    _choice(EventLoop))
    store_limit: int = setting(10000, "stored chat completions (`store: true`) kept in memory; the oldest go first",
                               _positive_int)
    store_file: str = setting("", "JSON-lines file that keeps stored chat completions across restarts (read at "
                              "start, rewritten atomically after changes)")
    store_mb: float = setting(256.0, "MiB of JSON that stored chat completions, and separately stored responses, "
                              "may take; beyond it the oldest go first (an image sent as a data: URL counts whole)",
                              _positive)
    files_budget_mb: float = setting(256.0, "MiB of uploaded file contents kept (/v1/files, uploads, batch "
                                     "output); the oldest files are deleted beyond it", _positive)
    files_dir: str = setting("", "directory for uploaded file contents; empty = in memory")
    batch_seconds: float = setting(0.0, "seconds a batch takes from validating to completed (0 = done before "
                                   "create answers); polling code sees each status on the way", _non_negative(float))
    batch_window_seconds: float = setting(86400.0, "seconds a batch may run before it expires (the API's 24h "
                                          "completion window)", _positive)
    fine_tuning_seconds: float = setting(0.0, "seconds a fine-tuning job takes from validating_files to "
                                         "succeeded (0 = done before create answers); polling code sees each "
                                         "status, event and checkpoint on the way", _non_negative(float))

    def __post_init__(self) -> None:
        if not self.auth and not self.expose_without_auth and not is_loopback(self.host):
            raise SettingsError(f"refusing --auth false on --host {self.host}: anyone who reaches it could use the "
                                "API and the admin API; pass --expose-without-auth true to do so anyway")
        # A real key must not also be a key clients send (then every client would hold it); the public default
        # key may be both, as when one mock records from another.
        if self.upstream_key not in ("", PUBLIC_KEY) and self.upstream_key in (self.api_key, self.admin_key):
            raise SettingsError("the upstream key must differ from the keys clients send (--api-key, --admin-key): "
                                "clients would hold the real key")

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    def key_rules(self) -> KeyRules:
        return KeyRules(ignored=self.ignore_fields, volatile=self.volatile, path_map=self.path_map)


def _flag(f: dataclasses.Field) -> str:
    return f.metadata["flag"] or "--" + f.name.replace("_", "-")


ENV_PREFIX = "DUMMY_OPENAI_"  # every variable but PORT and API_KEY: a stray HOST or MODE in a shell is not ours
UPSTREAM_KEY_ENV = ENV_PREFIX + "UPSTREAM_KEY"  # never OPENAI_API_KEY: that is the clients' variable


def _env(f: dataclasses.Field) -> str:
    return f.metadata["env"] or ENV_PREFIX + f.name.upper()


def _shown(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return ",".join(str(v) if not isinstance(v, tuple) else "=".join(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


# The sections of `--help`, in order; a field listed nowhere lands in the last, "other settings".
GROUPS: dict[str, tuple[str, ...]] = {
    "server": ("host", "port", "api_key", "auth", "workers", "state", "max_connections", "event_loop", "max_body_mb",
               "client_timeout", "access_log"),
    "who may call": ("expose_without_auth", "allowed_hosts", "cors_origins", "record_origins"),
    "mode and cassettes": ("mode", "cassettes", "record_to", "record_errors", "on_exhausted", "miss_status",
                           "replay_speed", "zero_retry_after", "cassette_cache", "cassette_body_mb", "usage_file"),
    "matching": ("matching", "ignore_fields", "volatile", "path_map"),
    "upstream": ("upstream", "upstream_key", "upstream_timeout"),
    "synthetic answers": ("any_model", "accept_unknown_fields", "replies", "azure_deployments", "responses_limit", "background_seconds",
                          "store_limit", "store_mb", "store_file", "preload_tokenizer"),
    "files and batches": ("files_budget_mb", "files_dir", "batch_seconds", "batch_window_seconds",
                          "fine_tuning_seconds"),
    "latency": ("latency", "ttft_ms", "tokens_per_second", "jitter", "latency_seed"),
    "faults and limits": ("chaos_rate", "chaos_faults", "chaos_seed", "rate_limit_rpm", "rate_limit_tpm"),
    "admin and dashboard": ("admin_key", "journal_size", "journal_body_limit", "dashboard"),
}

# The tools `main.py <command>` runs instead of the server (main.COMMANDS maps them to their modules).
COMMAND_HELP = {
    "cassettes": "list, check, key, prune, rekey, merge or convert cassettes (%(prog)s cassettes --help)",
    "tiktoken-cache": "write tiktoken's BPE files to DIR, for client-side tiktoken offline",
}


class _Switch(argparse.BooleanOptionalAction):
    """`--any-model` alone is true and `--no-any-model` false; `--any-model false` still reads a value, as the
    environment variables do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nargs = "?"

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        if option_string is not None and option_string.startswith("--no-"):
            if values is not None:
                parser.error(f"{option_string} takes no value (got {values!r})")
            values = "false"
        setattr(namespace, self.dest, "true" if values is None else values)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def _format_action_invocation(self, action: argparse.Action) -> str:
        if isinstance(action, _Switch):
            return ", ".join(action.option_strings)
        return super()._format_action_invocation(action)


class _Parser(argparse.ArgumentParser):
    """Errors become SettingsError (one line, shown by the caller) instead of usage text and an exit."""

    def error(self, message: str) -> NoReturn:
        raise SettingsError(message)


def build_parser(prog: str = "main.py") -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:16s}{help % {'prog': prog}}" for name, help in COMMAND_HELP.items())
    parser = _Parser(
        prog=prog, allow_abbrev=False, formatter_class=_Formatter,
        usage=f"%(prog)s [options]\n       %(prog)s {{{','.join(COMMAND_HELP)}}} ...",
        description="A local server that speaks the OpenAI API: replays cassettes, records from a real upstream, "
        "and synthesizes answers offline.",
        epilog=f"commands:\n{commands}\n\nEvery setting is also an environment variable (env ...); a flag wins "
        "over the variable.\nSwitches need no value: --any-model, --no-any-model (--any-model false works too); "
        "their\nvariables take true or false.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    grouped = {name for names in GROUPS.values() for name in names}
    sections = [*GROUPS.items(), ("other settings", tuple(n for n in fields if n not in grouped))]
    for title, names in sections:
        group = parser.add_argument_group(title)
        for name in names:
            if name in fields:
                _add_setting(group, fields[name])
    return parser


def _add_setting(group: argparse._ArgumentGroup, f: dataclasses.Field) -> None:
    help = f"{f.metadata['help']} (env {_env(f)}, default {_shown(f.default)!r})"
    if f.metadata["parse"] is _bool:
        group.add_argument(_flag(f), dest=f.name, action=_Switch, default=None, help=help)
    else:
        group.add_argument(_flag(f), dest=f.name, metavar=_env(f), default=None, help=help)


def _unknown(extras: list[str], parser: argparse.ArgumentParser) -> str:
    """The one-line error for arguments no setting takes, with the option a misspelt or shortened one meant."""
    options = [o for action in parser._actions for o in action.option_strings if o.startswith("--")]
    shown = []
    for extra in extras:
        name = extra.partition("=")[0]
        if name.startswith("-"):
            guess = [o for o in options if o.startswith(name)] or difflib.get_close_matches(name, options, n=1)
        else:  # a command only counts first; a value after an unknown option is not guessed at
            guess = difflib.get_close_matches(name, COMMAND_HELP, n=1) if extra is extras[0] else []
        shown.append(f"{extra} (did you mean {guess[0]}?)" if guess else extra)
    return "unrecognized arguments: " + " ".join(shown) + " (options are never abbreviated; see --help)"


class SettingsError(ValueError):
    """A setting has a bad value; str() is the one-line message shown at start-up."""


def parse_settings(argv: Sequence[str] = (), environ: Mapping[str, str] | None = None,
                   prog: str = "main.py") -> Settings:
    """Settings from flags, then the environment; SettingsError (one line) for anything wrong."""
    environ = os.environ if environ is None else environ
    parser = build_parser(prog)
    args, extras = parser.parse_known_args(list(argv))
    if extras:
        raise SettingsError(_unknown(extras, parser))
    values = {}
    for f in dataclasses.fields(Settings):
        raw, origin = getattr(args, f.name), _flag(f)
        if raw is None and _env(f) in environ:
            raw, origin = environ[_env(f)], _env(f)
        if raw is None:
            continue
        try:
            values[f.name] = f.metadata["parse"](raw)
        except ValueError as exc:
            raise SettingsError(f"invalid {origin}={raw!r}: {exc}") from None
    return Settings(**values)


def startup_warnings(settings: Settings, environ: Mapping[str, str] | None = None) -> list[str]:
    """What start-up warns about: a server beyond loopback, a key in the process list, recording without a key."""
    environ = os.environ if environ is None else environ
    warnings = []
    if not is_loopback(settings.host):
        exposed = ("the API and the admin API with no key at all" if not settings.auth
                   else f"the API with the public default key {PUBLIC_KEY}" if settings.api_key == PUBLIC_KEY
                   else "the API with its key")
        warnings.append(f"listening on {settings.host or 'every address'}: every machine that reaches it can use "
                        f"{exposed}; set --api-key and --admin-key to secrets"
                        + ("" if settings.allowed_hosts else ", and --allowed-hosts to check Host names"))
    if settings.upstream_key and environ.get(UPSTREAM_KEY_ENV) != settings.upstream_key:
        warnings.append("the upstream key was given as --upstream-key, which other users see in the process list; "
                        f"set {UPSTREAM_KEY_ENV} instead")
    if settings.mode.records and not settings.upstream_key:
        warnings.append(f"mode {settings.mode.value} without an upstream key ({UPSTREAM_KEY_ENV}): requests are "
                        "forwarded with no key (a client's key is never forwarded)")
    return warnings
