"""vcrpy's YAML cassettes: read (plain, pydantic-ai, DataDog and old httpx-stub variants) and written (version 1)."""
from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

import yaml

from dummy_openai_api.proxy.cassettes.formats.bodies import decoded
from dummy_openai_api.proxy.cassettes.formats.interaction import (
    Interaction, Invalid, checked_status, mapping, reason_phrase,
)
from dummy_openai_api.proxy.cassettes.formats.limits import Budget, check_expansion, may_alias

# vcrpy is imported on first use, not with this module: importing any part of it imports every HTTP client
# it knows how to patch (httpx, aiohttp, requests, ...), 0.3-0.6 s and ~25 MiB that a server without
# cassette files, the default, never needs.

# Keys of a vcrpy response dict we interpret; any other key is kept in `Interaction.extra`.
_RESPONSE_KEYS = {"status", "headers", "body", "parsed_body", "content", "status_code", "extra"}


# --- reading

def _construct_istr(loader: yaml.BaseLoader, node: yaml.SequenceNode) -> str:
    # DataDog's aiohttp recordings tag header names as multidict's case-insensitive str;
    # the tag's single argument is the name. Never import or call multidict.
    (value,) = loader.construct_sequence(node)
    return str(value)


@functools.cache
def _loader_class() -> type:
    """vcrpy's safe loader (libyaml-backed, refusing every other python/* tag) that also bounds aliases."""
    from vcr.serializers import yamlserializer

    class Loader(yamlserializer._CassetteLoader):  # vcrpy's cassette loader, whatever tags it learns
        source_size = 0  # bytes of the document whose aliases need counting; 0 when it has no anchor

        def construct_document(self, node: yaml.Node) -> Any:
            if self.source_size:
                check_expansion(node, self.source_size)  # before a single object is built
            return super().construct_document(node)

    Loader.add_constructor("tag:yaml.org,2002:python/object/apply:multidict._multidict.istr", _construct_istr)
    return Loader


def load_yaml(raw: bytes) -> Any:
    """The cassette document in `raw`; raises TooLarge when its aliases would expand it beyond bounds."""
    loader = _loader_class()(raw)
    loader.source_size = len(raw) if may_alias(raw) else 0
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def interaction(item: dict[str, Any], budget: Budget) -> Interaction:
    request, response = mapping(item, "request"), mapping(item, "response")
    request_body, request_headers = decoded(_body(request), request.get("headers"), budget)
    response_body, response_headers = decoded(_body(response), response.get("headers"), budget)
    status, reason = _status(response)
    return Interaction(
        str(request["method"]).upper(), str(request["uri"]), request_headers, request_body,
        status, reason, response_headers, response_body, _extra(response),
    )


def _body(part: dict[str, Any]) -> bytes:
    if "parsed_body" in part:  # pydantic-ai stores JSON bodies as YAML data
        return json.dumps(part["parsed_body"], separators=(",", ":")).encode()
    if "content" in part and "body" not in part:  # old httpx-stub response shape
        return _to_bytes(part["content"])
    body = part.get("body")
    return _to_bytes(body.get("string") if isinstance(body, dict) else body)


def _to_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    if hasattr(value, "getvalue"):  # vcrpy rebuilds old file-like request bodies as BytesIO
        return bytes(value.getvalue())
    if isinstance(value, (list, tuple)) or hasattr(value, "__next__"):  # iterator request bodies
        return b"".join(_to_bytes(chunk) for chunk in value)
    raise Invalid(f"unsupported body of type {type(value).__name__}")


def _status(response: dict[str, Any]) -> tuple[int, str]:
    status = response.get("status")
    if isinstance(status, dict):
        code, reason = status.get("code"), status.get("message")
    else:  # old httpx-stub shape has `status_code`; tolerate a bare `status: 200` too
        code, reason = response.get("status_code", status), None
    if code is None:
        raise Invalid("response has no status code")
    code = checked_status(code)
    return code, str(reason) if reason else reason_phrase(code)


def _extra(response: dict[str, Any]) -> dict[str, Any]:
    nested = response.get("extra", {})  # what our writer stores, e.g. {"timing": {...}}
    unknown = {key: value for key, value in response.items() if key not in _RESPONSE_KEYS}
    return {**unknown, **(nested if isinstance(nested, dict) else {"extra": nested})}


# --- writing

@functools.cache
def _request_class() -> type:
    from vcr.request import Request

    class _Request(Request):
        """A vcrpy Request that serializes every header value (vcrpy's own keeps only the first)."""

        def __init__(self, interaction: Interaction) -> None:
            super().__init__(interaction.method, interaction.uri, interaction.request_body, {})
            self._header_lists = {name: list(values) for name, values in interaction.request_headers.items()}

        def _to_dict(self) -> dict[str, Any]:
            return {**super()._to_dict(), "headers": self._header_lists}

    return _Request


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A safe (libyaml) dumper writing multi-line text as literal blocks, so SSE `data:` lines stay readable.

    Safe: an object the loader could not read back fails here, before anything is written.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True  # shared header lists must not become &id001 anchors


def _represent_str(dumper: yaml.BaseDumper, text: str) -> yaml.ScalarNode:
    # The emitter falls back to double quotes whenever a literal block would not round-trip (e.g. "\r").
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_str)


class _Serializer:
    """The half of vcrpy's serializer protocol that `vcr.serialize.serialize` uses."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        return yaml.dump(cassette, Dumper=_Dumper)


def _response_dict(interaction: Interaction) -> dict[str, Any]:
    response: dict[str, Any] = {
        "status": {"code": interaction.status, "message": interaction.reason},
        "headers": {name: list(values) for name, values in interaction.response_headers.items()},
        "body": {"string": interaction.response_body},
    }
    if interaction.extra:  # vcrpy ignores unknown response keys when replaying
        response["extra"] = interaction.extra
    return response


_HEADER, _FOOTER = "interactions:\n", "version: 1\n"  # around the interactions, as vcrpy's YAML has them


def interaction_yaml(interaction: Interaction) -> str:
    """One interaction's part of a cassette's YAML text. A cassette is these joined (`joined_cassette`), so a
    recording costs the YAML of one interaction, not of every interaction already in its cassette."""
    text = dumps_cassette([interaction])
    end = text.rfind("\n" + _FOOTER)  # PyYAML may close the document with "..." after it
    if not text.startswith(_HEADER) or end < 0:
        raise ValueError(f"unexpected cassette YAML: {text[:40]!r}")
    return text[len(_HEADER):end + 1]


def joined_cassette(parts: Sequence[str]) -> str:
    """The cassette whose interactions' YAML is `parts` (from `interaction_yaml`), in order."""
    return _HEADER + "".join(parts) + _FOOTER if parts else dumps_cassette([])


def dumps_cassette(interactions: Sequence[Interaction]) -> str:
    """The vcrpy (version 1) YAML text for `interactions`; UTF-8 bodies as text, other bytes as !!binary."""
    from vcr.serialize import serialize

    request_class = _request_class()
    cassette = {
        "requests": [request_class(interaction) for interaction in interactions],
        "responses": [_response_dict(interaction) for interaction in interactions],
    }
    return serialize(cassette, _Serializer)
