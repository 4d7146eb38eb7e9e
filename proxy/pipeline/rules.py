"""Rules registered at run time: which requests get a fault or a canned answer, and how many times.

"The next 2 requests to /v1/chat/completions get 429" is `{"path": "/v1/chat/completions", "fault": "429",
"times": 2}`; "requests whose last message contains X get this answer" is `{"contains": "X", "reply": "..."}`.
Rules are tried in the order they were added; the first that matches is used (and counted).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.faults import Fault
from dummy_openai_api.proxy.core.http import Request
from dummy_openai_api.proxy.validation import peek_body

CHAT_PATH = "/v1/chat/completions"
MATCH_FIELDS = ("path", "method", "model", "contains")


@dataclass
class Rule:
    """A match (path, method, model, text in the last message) and what it gives: a fault or an answer."""

    id: str
    path: str | None = None  # exact, or a prefix ending in `*`
    method: str | None = None
    model: str | None = None
    contains: str | None = None
    fault: Fault | None = None
    reply: str | None = None  # the content of a chat completion (streamed when the request streams)
    response: dict[str, Any] | None = None  # {"status", "body", "headers"}: any answer, as given
    times: int | None = None  # how many requests it applies to; None = every matching request
    skip: int = 0  # matching requests let through before it applies
    hits: int = field(default=0)

    def matches(self, request: Request) -> bool:
        if self.path is not None and not _path_matches(self.path, request.path):
            return False
        if self.reply is not None and self.path is None and request.path != CHAT_PATH:
            return False
        if self.method is not None and request.method != self.method:
            return False
        if self.model is None and self.contains is None:
            return True
        body = peek_body(request)
        if self.model is not None and body.get("model") != self.model:
            return False
        return self.contains is None or self.contains in last_text(body)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "path": self.path, "method": self.method, "model": self.model,
                "contains": self.contains, "fault": self.fault.describe() if self.fault else None,
                "reply": self.reply, "response": self.response, "times": self.times, "skip": self.skip,
                "hits": self.hits}


class RuleBook:
    """The rules in force; `pick` is only called when there are any."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self._ids = itertools.count(1)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def add(self, spec: Any) -> Rule:
        rule = parse_rule(spec, f"rule_{next(self._ids)}")
        self.rules.append(rule)
        return rule

    def remove(self, rule_id: str) -> bool:
        kept = [r for r in self.rules if r.id != rule_id]
        found = len(kept) != len(self.rules)
        self.rules = kept
        return found

    def clear(self) -> None:
        self.rules = []

    def reset(self) -> None:
        """No rules, and ids from rule_1 again (so a test's journal reads the same whatever ran before)."""
        self.clear()
        self._ids = itertools.count(1)

    def pick(self, request: Request) -> Rule | None:
        for rule in self.rules:
            if rule.matches(request):
                if rule.skip:
                    rule.skip -= 1
                    continue
                rule.hits += 1
                if rule.spent:
                    self.rules.remove(rule)  # a used-up rule is gone, as "the next 2 requests" implies
                return rule
        return None


def parse_rule(spec: Any, rule_id: str) -> Rule:
    """A rule from its JSON; what is wrong is a 400 naming the field."""
    if not isinstance(spec, dict):
        raise _invalid("(body)", "a rule is a JSON object")
    unknown = set(spec) - {*MATCH_FIELDS, "fault", "reply", "response", "times", "skip", "retry_after", "after",
                           "seconds"}
    if unknown:
        raise _invalid(sorted(unknown)[0], "unknown field")
    actions = [name for name in ("fault", "reply", "response") if spec.get(name) is not None]
    if len(actions) != 1:
        raise _invalid("fault", "give exactly one of fault, reply or response")
    for name in MATCH_FIELDS:
        if spec.get(name) is not None and not isinstance(spec[name], str):
            raise _invalid(name, "expected a string")
    fault = None
    if spec.get("fault") is not None:
        fault = Fault.build(str(spec["fault"]), {k: spec.get(k) for k in ("retry_after", "after", "seconds")})
    return Rule(rule_id, path=spec.get("path"), method=(spec.get("method") or "").upper() or None,
                model=spec.get("model"), contains=spec.get("contains"), fault=fault, reply=_reply(spec),
                response=_response(spec), times=_count(spec, "times", None), skip=_count(spec, "skip", 0) or 0)


def _reply(spec: dict[str, Any]) -> str | None:
    reply = spec.get("reply")
    if reply is not None and not isinstance(reply, str):
        raise _invalid("reply", "expected a string")
    return reply


def _response(spec: dict[str, Any]) -> dict[str, Any] | None:
    response = spec.get("response")
    if response is None:
        return None
    if not isinstance(response, dict) or set(response) - {"status", "body", "headers"}:
        raise _invalid("response", "expected an object with status, body and headers")
    status = response.get("status", 200)
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise _invalid("response.status", "expected an HTTP status")
    headers = response.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise _invalid("response.headers", "expected an object of strings")
    for name, value in headers.items():
        _check_header(name, value)
    return {"status": status, "body": response.get("body"), "headers": headers}


# Headers that frame the answer on the wire: the server writes them itself, a second copy would break it.
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te",
                             "trailer", "proxy-connection", "host"})
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")  # no CR, LF, NUL or other control characters


def _check_header(name: str, value: str) -> None:
    if not HEADER_NAME.fullmatch(name):
        raise _invalid("response.headers", f"{name[:60]!r} is not a valid header name")
    if name.lower() in FRAMING_HEADERS:
        raise _invalid("response.headers", f"{name} frames the answer and is set by the server")
    if not HEADER_VALUE.fullmatch(value):
        raise _invalid("response.headers", f"the value of {name} holds control characters (CR, LF, NUL)")


def _count(spec: dict[str, Any], name: str, default: int | None) -> int | None:
    value = spec.get(name)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if name == "times" else 0):
        raise _invalid(name, "expected a positive integer" if name == "times" else "expected an integer >= 0")
    return value


def _invalid(param: str, problem: str) -> APIError:
    return APIError(400, f"Invalid rule: {param}: {problem}.", param=param, code="invalid_rule")


def _path_matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def last_text(body: dict[str, Any]) -> str:
    """The text a rule's `contains` looks at: the last message, else the `input` or `prompt`."""
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
        return _text(messages[-1].get("content"))
    return _text(body.get("input", body.get("prompt")))


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    if isinstance(value, dict):
        return _text(value.get("text", value.get("content")))
    return ""
