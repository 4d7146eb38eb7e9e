"""The request as the handlers read it (the user's line without greetings or directives) and the draft they answer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .conversation import Conversation
from .languages import code_language
from .picker import Picker
from .rules import ReplyRules
from .style import LANG_NAMES, USER_STYLE_GATE, Style, read_style
from .text import join_terms, keywords

_HEAD_CHARS = 1000  # classification looks at the start of a message only: bounded time on huge inputs


@dataclass
class Draft:
    """A reply before styling: prose around an optional list or code block, plus what JSON mode needs."""

    kind: str
    lead: str = ""
    items: list[str] = field(default_factory=list)
    item_style: str = "numbered"          # "numbered", "bullets" or "lines" (poems)
    code: tuple[str, str] | None = None   # (fence tag, source)
    tail: str = ""
    terse: str = ""                       # the one-word answer
    data: dict[str, Any] = field(default_factory=dict)
    slots: dict[str, Any] = field(default_factory=dict)


_GREETING_PREFIX = re.compile(r"^(?:hi|hello|hey|greetings|good (?:morning|afternoon|evening))(?: there| all)?"
                              r"[\s,!.:;-]+(?=\S+\s+\S)", re.I)
_POLITE_PREFIX = re.compile(
    r"^(?:(?:ok|okay|so|alright|please|pls|kindly)\b[\s,!.]*)*"
    r"(?:(?:can|could|would|will) you(?: please)?\s+|i(?:'d| would) like you to\s+|i (?:want|need) you to\s+"
    r"|please\s+)?(?=(?:write|tell|explain|give|list|show|summari[sz]e|translate|make|create|describe|compare|"
    r"calculate|compute|generate|implement|find|suggest|recommend|name|provide|draft|compose|help|define|build|"
    r"teach|walk|convert)\b)", re.I)


@dataclass
class Request:
    convo: Conversation
    pick: Picker
    text: str                 # the last user message (or the earlier one that a follow-up refers to)
    raw_line: str             # its start on one line, original casing
    line: str                 # the same without greetings and "can you please"
    rules: ReplyRules | None
    style: Style = field(default_factory=Style)

    @cached_property
    def low(self) -> str:
        return self.line.lower()

    @cached_property
    def prompt(self) -> str:
        """The system prompt and the user's message, where instructions about the answer's form are."""
        return f"{self.convo.system_text}\n{self.text}"

    @cached_property
    def prompt_low(self) -> str:
        return self.prompt.lower()

    @cached_property
    def terms(self) -> list[str]:
        return keywords(self.line)

    @cached_property
    def kw(self) -> str:
        return join_terms(self.terms) or "this"


def make_request(convo: Conversation, pick: Picker, rules: ReplyRules | None) -> Request:
    text = _resolve_follow_up(convo.user_text, convo.previous_user_text)
    raw_line = " ".join(text[:_HEAD_CHARS].split())
    line = _GREETING_PREFIX.sub("", raw_line, count=1)
    line = _POLITE_PREFIX.sub("", line, count=1)
    style = read_style(convo.system_text, line)
    line = _TRAILING_INSTRUCTION.sub("", line) or line
    line = _LEADING_INSTRUCTION.sub("", line) or line
    if USER_STYLE_GATE.search(line.lower()):
        line = _DIRECTIVES.sub("", line)
    line = _EMBEDDED_QUESTION.sub(r"what \2 \1", _ASK_PREFIX.sub("", line).strip())
    return Request(convo, pick, text, raw_line, line or raw_line, rules, style)


_DIRECTIVES = re.compile(rf"[\s,]*\b(?:in (?:one|a single|1) (?:sentence|word)|in (?:a )?few words|briefly|"
                         rf"in (?:exactly )?(?:\d|two|three|four|five|six|seven|eight) sentences|"
                         rf"like (?:i'm|i am) (?:five|5|a child|a beginner)|in simple terms|in plain english|"
                         rf"concisely|(?:answer|respond|reply|write|speak)\s+in (?:{LANG_NAMES})|(?:using|with|in) bullet "
                         rf"points|(?:answer |respond )?in json(?: format)?(?: with [^.?!\n]{0,80}?\b(?:keys|fields|properties))?)\b", re.I)
# "What is 17 * 23? Finish with 'FINAL ANSWER: ...'": the question is what is answered, the rest says how.
_TRAILING_INSTRUCTION = re.compile(r"(?<=\?)\s+(?:please\s+)?(?:finish|end|conclude|format|put|start|begin|answer|reply|"
                                   r"respond|give|return|use|show|think|write|keep|be)\b.*$", re.I | re.S)
# "Reply with a single word: which planet ...?": the instruction before the colon says how, not what.
_LEADING_INSTRUCTION = re.compile(r"^(?:please\s+)?(?:answer|reply|respond)\b[^:?]{0,50}:\s*(?=\S[^:]*\?\s*$)", re.I)
_ASK_PREFIX = re.compile(r"^(?:tell me|do you know|i (?:want|need) to know|i wonder|explain to me)\s+"
                         r"(?=(?:what|why|how|who|when|where|which)\b)", re.I)
_EMBEDDED_QUESTION = re.compile(r"^what (.+?) (is|are|means)\W*$", re.I)  # "what recursion is" -> "what is recursion"
_FOLLOW_UP_LANGUAGE = re.compile(r"^(?:(?:and|now|ok|okay|great|thanks|cool)[,!.]?\s+)*(?:(?:what|how) about|"
                                 r"(?:do|write|show|give me) (?:it|that|this|the same)|same(?: thing)?|now)?\s*"
                                 r"(?:in|using)\s+([\w#+.]+)\W*$", re.I)
_FOLLOW_UP_AGAIN = re.compile(r"^(?:(?:tell|give|write) me )?(?:another(?: one)?|one more|again|try again)\W*$", re.I)


def _resolve_follow_up(text: str, previous: str) -> str:
    """ "What about in Rust?" after a code request means the same request in Rust."""
    if not previous or len(text) > 60:
        return text
    language = _FOLLOW_UP_LANGUAGE.match(text)
    if language and code_language(f"in {language.group(1).lower()}"):
        return f"{previous} in {language.group(1)}"
    return previous if _FOLLOW_UP_AGAIN.match(text) else text
