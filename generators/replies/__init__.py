r"""The text of synthetic assistant replies: deterministic, context-aware English for a chat `messages` list.

`compose()` reads the conversation, applies the user's canned rules (see `load_rules`), then classifies the
last user message (greeting, code, summary, how-to, list, question, arithmetic, yes/no, translation, story or
poem, comparison, tool result, anything else) and fills the templates of `phrasebook`, one module per kind of
reply. The system prompt shapes the result (persona, brevity, reply language, JSON, bullet points, default
code language).
Every choice between wordings comes from a SHA-256 of the conversation, the seed and the variant, never from
`hash()` or the global `random` state, so the same request gives the same text in every process.

Rules file format (YAML, or JSON by extension or content)::

    # Rules are checked in order; the first rule that matches wins. They run before the built-in replies.
    rules:
      - contains: "refund policy"            # case-insensitive substring of the last user message
        reply: "Refunds are accepted within 30 days."
      - regex: 'weather in (?P<city>\w+)'   # Python regex, case-insensitive, searched in the last user
        reply: "It is always sunny in {city}." # message; {city} / {1} are replaced by the groups
      - system_contains: "pirate"            # case-insensitive substring of the system/developer prompt
        reply: "Arr, ask away!"
      - contains: ["price", "cost"]          # a list means "any of these"
        replies: ["It costs $10.", "The price is ten dollars."]  # several: picked by seed / variant
        name: pricing                        # optional label, ignored
    default_replies:                         # optional: replaces the generic fallback reply
      - "I'm a test double; here is a canned answer."

A rule needs at least one matcher (`contains`, `regex`, `system_contains`; all given must match) and exactly
one of `reply` / `replies`. Write regexes in single quotes: YAML reads backslashes in double quotes as
escapes. Only `{group}` placeholders are replaced; other braces stay, so JSON replies are safe. Canned replies
are returned verbatim (no persona, language or JSON styling). With no seed, variant 0 answers the first of
`replies`, variant 1 the second, and so on. `load_rules` raises ValueError with a one-line message such as
`rules.yaml: rule 3: bad regex '(unclosed': missing ), unterminated subpattern at position 0`.
"""
from __future__ import annotations

import logging
from typing import Any, Sequence

from . import (arithmetic, code, context, creative, form, labels, lists, questions, signature, smalltalk, summary, tool_results,
               translation, writing)
from .conversation import read_conversation
from .phrasebook.generic import EMPTY_REPLIES, GENERIC_LEADS, GENERIC_MIDDLES, GENERIC_TAILS
from .picker import Picker
from .render import localize, render, tidy
from .request import Draft, Request, make_request
from .rules import ReplyRule, ReplyRules, fill_groups, load_rules
from .text import capitalize, fmt

__all__ = ["ReplyRule", "ReplyRules", "compose", "load_rules"]


def _generic(req: Request) -> Draft:
    """Anything else: the rules' default replies, or a few sentences around the message's key terms."""
    if req.rules is not None and req.rules.default_replies:
        return Draft("canned", lead=req.pick.pick(req.rules.default_replies, first_is_canonical=True))
    if not req.terms:
        return Draft("generic", lead=req.pick.pick(EMPTY_REPLIES), terse="Hello!")
    slots = {"kw": req.kw, "Kw": capitalize(req.kw), "topic": req.kw}
    lead = f"{fmt(req.pick.pick(GENERIC_LEADS), **slots)} {fmt(req.pick.pick(GENERIC_MIDDLES), **slots)}"
    return Draft("generic", lead=lead, tail=req.pick.pick(GENERIC_TAILS), terse=capitalize(req.terms[0]) + ".")


# In order: the first handler with an answer wins, and the last always has one.
_HANDLERS = (tool_results.tool_result, context.retrieval, labels.classification, form.few_shot, smalltalk.attachment,
             smalltalk.smalltalk, context.recall, context.equation, context.conversion, arithmetic.arithmetic,
             translation.translation, summary.summary, creative.creative, writing.writing, code.code, lists.listing,
             lists.howto, questions.comparison, questions.yes_no, questions.question, _generic)


def compose(messages: Sequence[dict[str, Any]], *, seed: int | None = None, rules: ReplyRules | None = None,
            variant: int = 0) -> str:
    """The reply text for this conversation."""
    try:
        return _compose(messages, seed, rules, variant)
    except Exception:  # noqa: BLE001 - a test double must answer whatever it is sent; logged for the developer
        logging.getLogger(__name__).exception("compose failed; answering generically")
        return EMPTY_REPLIES[0]


def _compose(messages: Any, seed: Any, rules: ReplyRules | None, variant: Any) -> str:
    convo = read_conversation(messages)
    pick = Picker(convo.fingerprint, seed, variant if isinstance(variant, int) and variant > 0 else 0)
    if rules is not None:
        user_lower, system_lower = convo.user_text.lower(), convo.system_text.lower()
        for rule in rules.rules:
            fields = rule.match(convo.user_text, user_lower, system_lower)
            if fields is not None:
                return fill_groups(pick.pick(rule.replies, first_is_canonical=True), fields).strip()
    framed = signature.reply(convo, lambda text: _compose([{"role": "user", "content": text}], seed, rules, 0))
    if framed is not None:
        return framed
    request = make_request(convo, pick, rules)
    draft = next(draft for handler in _HANDLERS if (draft := handler(request)) is not None)
    language = request.style.language or draft.slots.get("language")
    if language and draft.kind != "canned":
        draft = localize(draft, language, request)
    return tidy(form.apply(render(draft, request.style, pick), draft, request)) or EMPTY_REPLIES[0]
