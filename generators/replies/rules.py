"""The user's canned replies: the rules file (format in the package docstring), loaded and matched."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ReplyRule:
    """One canned reply; every matcher given must match, and a list matcher matches if any entry does."""

    replies: tuple[str, ...]
    contains: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None
    system_contains: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        if not self.replies:
            raise ValueError("a ReplyRule needs at least one reply")

    def match(self, user_text: str, user_lower: str, system_lower: str) -> dict[str, str] | None:
        """The fields for the reply template if this rule applies, else None."""
        if self.contains and not any(needle in user_lower for needle in self.contains):
            return None
        if self.system_contains and not any(needle in system_lower for needle in self.system_contains):
            return None
        if self.regex is None:
            return {}
        found = self.regex.search(user_text)
        if found is None:
            return None
        fields = {str(i): group or "" for i, group in enumerate(found.groups(), 1)}
        fields.update({key: value or "" for key, value in found.groupdict().items()})
        fields["0"] = found.group(0)
        return fields


@dataclass(frozen=True)
class ReplyRules:
    """User-defined canned replies (the format is in the module docstring), applied before the classifier."""

    rules: tuple[ReplyRule, ...] = ()
    default_replies: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Any, source: str = "<rules>") -> ReplyRules:
        """Validate parsed YAML/JSON; raises ValueError naming the source and the problem on one line."""
        if not isinstance(data, dict):
            raise _rules_error(source, "", f"expected a mapping with 'rules', got {type(data).__name__}")
        unknown = sorted(str(key) for key in data if key not in ("rules", "default_replies"))
        if unknown:
            raise _rules_error(source, "", f"unknown key {unknown[0]!r} (expected 'rules', 'default_replies')")
        raw_rules = data.get("rules", [])
        raw_rules = [] if raw_rules is None else raw_rules
        if not isinstance(raw_rules, list):
            raise _rules_error(source, "", "'rules' must be a list")
        rules = tuple(_parse_rule(raw, source, number) for number, raw in enumerate(raw_rules, 1))
        defaults = _string_list(data.get("default_replies"), source, "", "default_replies") or ()
        return cls(rules=rules, default_replies=defaults)


_RULE_KEYS = ("name", "contains", "regex", "system_contains", "reply", "replies")


def load_rules(path: str | os.PathLike[str]) -> ReplyRules:
    """Read a rules file (YAML or JSON); raises ValueError with a one-line message naming file and problem."""
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _rules_error(source, "", f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None
    if source.lower().endswith(".json"):  # anything else is read as YAML, which also accepts JSON text
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _rules_error(source, "", f"invalid JSON: {exc}") from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise _rules_error(source, "", f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        raise _rules_error(source, "", "the file is empty")
    return ReplyRules.from_dict(data, source)


def _parse_rule(raw: Any, source: str, number: int) -> ReplyRule:
    where = f"rule {number}"
    if not isinstance(raw, dict):
        raise _rules_error(source, where, f"expected a mapping, got {type(raw).__name__}")
    unknown = sorted(str(key) for key in raw if key not in _RULE_KEYS)
    if unknown:
        raise _rules_error(source, where, f"unknown key {unknown[0]!r} (expected one of {', '.join(_RULE_KEYS)})")
    if ("reply" in raw) == ("replies" in raw):
        raise _rules_error(source, where, "needs exactly one of 'reply' or 'replies'")
    replies = _string_list(raw.get("reply", raw.get("replies")), source, where, "reply")
    contains = _string_list(raw.get("contains"), source, where, "contains") or ()
    system_contains = _string_list(raw.get("system_contains"), source, where, "system_contains") or ()
    pattern = raw.get("regex")
    if not (contains or system_contains or pattern is not None):
        raise _rules_error(source, where, "has no matcher (add 'contains', 'regex' or 'system_contains')")
    if pattern is not None and not isinstance(pattern, str):
        raise _rules_error(source, where, f"'regex' must be a string, got {type(pattern).__name__}")
    try:
        regex = re.compile(pattern, re.IGNORECASE) if pattern is not None else None
    except re.error as exc:
        raise _rules_error(source, where, f"bad regex {pattern!r}: {exc}") from None
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise _rules_error(source, where, "'name' must be a string")
    return ReplyRule(replies=replies or (), contains=tuple(c.lower() for c in contains), regex=regex,
                     system_contains=tuple(c.lower() for c in system_contains), name=name)


def _string_list(value: Any, source: str, where: str, key: str) -> tuple[str, ...] | None:
    """A string or a non-empty list of non-empty strings, as a tuple; None when absent."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise _rules_error(source, where, f"{key!r} must be a non-empty string or a list of non-empty strings")
    return tuple(items)


def _rules_error(source: str, where: str, problem: str) -> ValueError:
    message = f"{source}: {where + ': ' if where else ''}{problem}"
    return ValueError(" ".join(message.split()))


def fill_groups(template: str, fields: dict[str, str]) -> str:
    # Only {name} placeholders that are regex groups are replaced: other braces (JSON replies) stay as written.
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), template)
