"""Structured answers: JSON that follows a `json_schema` response format, or a JSON object for `json_object`.

`schema_reply` fills the schema with `generators.structured.schema.instance`, using what the user wrote (a name, a city,
a number, a mentioned enum member) and the plain-text answer for prose fields ("answer", "summary",
"explanation"), so "Extract: John is 32 and lives in Berlin" with {name, age, city} gives
{"name":"John","age":32,"city":"Berlin"}. `json_object_reply` builds an object with the fields the prompt
names ("with keys name and age", an example object in the prompt), or the answer in JSON form otherwise.
"""
from __future__ import annotations

import json
import re
from typing import Any, Sequence

from dummy_openai_api.generators.structured import fakes
from dummy_openai_api.generators import replies
from dummy_openai_api.generators.structured.hints import hints_for, message_text, user_texts
from dummy_openai_api.generators.structured.refs import Resolver, properties
from dummy_openai_api.generators.structured.schema import hint_key, instance

_WHOLE_ANSWER = frozenset("answer response reply output result content text message final".split())
_FIELD_NAME = r"[\"'`]?[A-Za-z_]\w*[\"'`]?"
_FIELD_LIST = re.compile(rf"\b(?:keys?|fields?|properties|attributes|columns)\b\s*(?:named|called|like|such as|"
                         rf"of|with|for|:)?\s*({_FIELD_NAME}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)"
                         rf"{_FIELD_NAME}){{1,11}})", re.I)
_QUOTED_FIELD = re.compile(r"[\"'`]([a-z_][a-z0-9_]{1,40})[\"'`]\s*(?::|,|\band\b|\)|$|\b(?:keys?|fields?|properties)\b)")
_FIELD_SKIP = frozenset({"and", "or", "the", "a", "an", "with", "json", "object", "format", "for", "from", "in",
                         "of", "about", "on", "to", "by"})
_NUMERIC = frozenset("age count number year quantity total price score rating amount size population".split())
_LISTS = frozenset("tags items list steps ingredients keywords names examples options values entries".split())


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def schema_reply(schema: dict[str, Any], messages: Sequence[dict[str, Any]], seed: bytes,
                 answer: str | None = None) -> str:
    """Compact JSON valid against `schema`, filled from the conversation; `answer` feeds prose fields."""
    found = hints_for(schema, user_texts(messages))
    text = answer if answer is not None else replies.compose(messages)
    given = _answer_object(messages, text)
    prose = {} if given else _prose_hints(schema, text, found)
    return _dumps(instance(schema, seed=seed, hints={**prose, **found, **given}))


def _answer_object(messages: Sequence[dict[str, Any]], text: str) -> dict[str, Any]:
    """The reply when it is the object of a DSPy signature's fields already (its JSONAdapter asks for one)."""
    system = "\n".join(message_text(m) for m in messages if isinstance(m, dict) and m.get("role") == "system")
    if not text.startswith("{") or "Your output fields are:" not in system:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _prose_hints(schema: dict[str, Any], answer: str, found: dict[str, Any]) -> dict[str, Any]:
    """The answer for a top-level "answer"-like field, its sentences in turn for "summary", "explanation"..."""
    answer = _without_offer(answer)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", answer) if s] or [answer]
    top = set(Resolver(schema).resolve(schema).get("properties") or {})
    taken = {hint_key(k) for k in found}
    result: dict[str, Any] = {}
    for name, sub in properties(schema):
        kinds = sub.get("type")
        if hint_key(name) in taken or not fakes.is_prose(name) or kinds not in (None, "string", ["string", "null"]):
            continue
        whole = name in top and fakes.name_words(name)[-1] in _WHOLE_ANSWER
        result[name] = answer[:1000] if whole else sentences[len(result) % len(sentences)]
    return result


def _without_offer(answer: str) -> str:
    """The answer without a closing offer ("Want me to go deeper?"), which a JSON field would not carry."""
    paragraphs = answer.strip().split("\n\n")
    if len(paragraphs) > 1 and paragraphs[-1].rstrip().endswith("?"):
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs).strip()


def json_object_reply(messages: Sequence[dict[str, Any]], seed: bytes, answer: str | None = None) -> str:
    """A JSON object for `response_format: json_object`: the fields the prompt names, else the answer."""
    if given := _answer_object(messages, answer or ""):
        return _dumps(given)
    prompt = "\n".join(message_text(m) for m in messages if isinstance(m, dict))
    schema = _prompt_schema(prompt)
    if schema is not None:  # JSON mode with the schema in the prompt (instructor JSON, pydantic-ai PromptedOutput)
        return _schema_instance(schema, messages, seed)
    example = _example_object(prompt)
    fields = list(example) if example else _named_fields(prompt)
    if fields:
        return _named_reply(fields, example, messages, seed, answer if answer is not None else
                            replies.compose(messages))
    nudged = [{"role": "system", "content": "Respond in JSON."}, *messages]
    text = replies.compose(nudged)
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    return _dumps(value if isinstance(value, dict) else {"answer": answer or text})


def _example_object(prompt: str) -> dict[str, Any]:
    start, end = prompt.find("{"), prompt.rfind("}")
    if start < 0 or end <= start:
        return {}
    try:
        value = json.loads(prompt[start:end + 1])
    except ValueError:
        return {}
    return value if isinstance(value, dict) and len(value) < 40 else {}


def _named_fields(prompt: str) -> list[str]:
    listed = _FIELD_LIST.search(prompt)
    names = re.findall(r"[A-Za-z_]\w*", listed.group(1)) if listed else _QUOTED_FIELD.findall(prompt)
    fields = [n for n in dict.fromkeys(names) if n.lower() not in _FIELD_SKIP]
    return fields if len(fields) >= 2 or listed else []


def _field_schema(name: str, example: Any) -> dict[str, Any]:
    """A field's type: the example's when the prompt shows one, else guessed from the name."""
    if example is not None and not isinstance(example, (dict, list)):
        kind = {bool: "boolean", int: "integer", float: "number"}.get(type(example), "string")
        return {"type": kind}
    words = fakes.name_words(name)
    if isinstance(example, list) or (words and words[-1] in _LISTS):
        return {"type": "array", "items": {"type": "string"}}
    if words and words[0] in ("is", "has", "can", "should"):
        return {"type": "boolean"}
    return {"type": "integer"} if set(words) & _NUMERIC else {"type": "string"}


# --- JSON asked for in the prompt, without `response_format` ----------------------------------------------------

_ASKS_JSON = re.compile(r"\b(?:json)\b", re.I)
_JSON_VERB = re.compile(r"\b(?:return|respond|reply|answer|output|give|format|produce|provide|generate|as|in|"
                        r"instance|compatible|match|conform)\b", re.I)
_FENCE_WANTED = re.compile(r"```|\bmarkdown\b|\bcode ?block\b", re.I)
_FENCE_REFUSED = re.compile(r"\b(?:no|not|don't|do not|without|never)\b[^.\n]{0,40}(?:markdown|fenc|code ?block|```)",
                            re.I)


def prompted_reply(messages: Sequence[dict[str, Any]], seed: bytes, answer: str) -> str | None:
    """JSON when the prompt asks for it in words: an instance of a JSON schema written in the prompt
    (pydantic-ai PromptedOutput, instructor JSON/MD_JSON), or an object with the fields the prompt names
    ("Return JSON with fields name and city"); fenced when the prompt asks for a markdown code block."""
    prompt = "\n".join(message_text(m) for m in messages if isinstance(m, dict) and m.get("role") != "assistant")
    if "json" not in prompt.lower() or not (_ASKS_JSON.search(prompt) and _JSON_VERB.search(prompt)) or \
            "[[ ## completed ## ]]" in prompt:
        return None  # DSPy's field markers carry their own JSON values (generators.replies.signature)
    schema = _prompt_schema(prompt)
    if schema is not None:
        reply = _schema_instance(schema, messages, seed)
    elif fields := list(_example_object(prompt)) or _named_fields(prompt):
        reply = _named_reply(fields, _example_object(prompt), messages, seed, answer)
    else:
        return None
    fenced = _FENCE_WANTED.search(prompt) and not _FENCE_REFUSED.search(prompt)
    return f"```json\n{reply}\n```" if fenced else reply


def _named_reply(fields: list[str], example: dict[str, Any], messages: Sequence[dict[str, Any]], seed: bytes,
                 answer: str) -> str:
    """An object with the fields the prompt names: values from the user's words, and text fields nobody
    gave a value ("setup", "punchline") filled with the answer's sentences in turn."""
    schema: dict[str, Any] = {"type": "object", "properties": {f: _field_schema(f, example.get(f)) for f in fields},
              "required": fields}
    found = hints_for(schema, _sources(messages))
    hints = {**_prose_hints(schema, answer, found), **found}
    answer = _plain(answer)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", _without_offer(answer)) if s] or [answer]
    free = [f for f in fields if f not in hints and schema["properties"][f] == {"type": "string"}]
    hints.update({f: sentences[i % len(sentences)] for i, f in enumerate(free)} if len(free) > 1 else {})
    return _dumps(instance(schema, seed=seed, hints=hints))


def _plain(answer: str) -> str:
    """The answer's text when the reply was styled as JSON ({"answer": ...}): prompts asking for JSON get that."""
    try:
        value = json.loads(answer) if answer.startswith("{") else None
    except ValueError:
        value = None
    return value["answer"] if isinstance(value, dict) and isinstance(value.get("answer"), str) else answer


def _schema_instance(schema: dict[str, Any], messages: Sequence[dict[str, Any]], seed: bytes) -> str:
    """An instance of a schema written in the prompt, valued from the user's words (not the schema's)."""
    return _dumps(instance(schema, seed=seed, hints=hints_for(schema, _sources(messages))))


def _sources(messages: Sequence[dict[str, Any]]) -> list[str]:
    """The user's texts that hold values: not the ones only saying how to answer ("Return the correct JSON
    response within a ```json codeblock", as instructor's MD_JSON mode adds)."""
    texts = [_without_json(t) for t in user_texts(messages)]
    kept = [" ".join(_subject(part) for part in re.split(r"(?<=[.!?])\s+|\n+", t)
                     if not (_ASKS_JSON.search(part) and _subject(part) == part)) for t in texts]
    return [t for t in kept if t.strip()] or _subjects(texts)


def _prompt_schema(prompt: str) -> dict[str, Any] | None:
    """The JSON schema written in the prompt: an object with `properties` (and a type or a title)."""
    start = prompt.find("{")
    for _attempt in range(40):  # a few candidates: a prompt full of braces costs bounded time
        if start < 0:
            break
        try:
            value, _ = json.JSONDecoder().raw_decode(prompt, start)
        except ValueError:
            value = None
        if isinstance(value, dict) and isinstance(value.get("properties"), dict) and \
                ("type" in value or "title" in value or "required" in value):
            return value
        start = prompt.find("{", start + 1)
    return None


def _without_json(text: str) -> str:
    """The text without the JSON written in it (a schema or example is no source of values)."""
    start = text.find("{")
    end = text.rfind("}")
    return text[:start] + text[end + 1:] if 0 <= start < end else text


def _subject(text: str) -> str:
    """What an instruction is about: "Return JSON with fields name and city for: John lives in Berlin"."""
    head, colon, tail = text.partition(":")
    return tail.strip() if colon and tail.strip() and _ASKS_JSON.search(head) else text


def _subjects(texts: list[str]) -> list[str]:
    return [_subject(t) for t in texts]

