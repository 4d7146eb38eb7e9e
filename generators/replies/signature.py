"""DSPy's ChatAdapter: a system prompt that lists output fields answered as `[[ ## field ## ]]` sections.

The adapter's parser (dspy/adapters/chat_adapter.py) splits the reply at lines `[[ ## name ## ]]` and needs
every output field, each parseable as its type, so the reply carries every field in the listed order and then
`[[ ## completed ## ]]`. Types come from the structure's notes ("must exactly match (no extra characters) one
of: a; b", "must be a single int value", "must adhere to the JSON schema: {...}"). ReAct's loop is a signature
too: `next_tool_name` picks the tool the question asks for, then `finish` once an observation is in the
trajectory, and the answer quotes the last observation.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from .conversation import Conversation
from .labels import choose

_HEADER = re.compile(r"^\[\[ ## (\w+) ## \]\]\s*$", re.M)
_OUTPUTS = re.compile(r"Your output fields are:\n((?:\d+\. `\w+`.*\n?(?:[ \t]+.*\n?)*)+)")
_FIELD = re.compile(r"^\d+\. `(\w+)` \(([^\n]*?)\)(?::|$)", re.M)
_NOTE = re.compile(r"\{(\w+)\}\s+# note: the value you produce (.+?)\"?,?$", re.M)
_TOOL = re.compile(r"\(\d+\) (\w+)(?:, whose description is <desc>(.*?)</desc>)?\.? It takes arguments (\{.*?\})\.?$",
                   re.M)
_MAIN_INPUTS = ("question", "query", "text", "input", "task", "problem", "prompt", "claim", "sentence", "document")
_CONTEXT_INPUTS = ("context", "passages", "documents", "passage", "document")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str   # the annotation as DSPy prints it: "str", "int", "Literal['a', 'b']", "dict[str, Any]"
    note: str   # what the structure says about the value, if anything


_JSON_OUTPUTS = "Outputs will be a JSON object"  # DSPy's JSONAdapter: the same fields, as one JSON object


def is_signature(convo: Conversation) -> bool:
    system = convo.system_text
    return "Your output fields are:" in system and ("[[ ## completed ## ]]" in system or _JSON_OUTPUTS in system)


def reply(convo: Conversation, answer: Callable[[str], str]) -> str | None:
    """The sections for every output field, then the completed marker (or, for DSPy's JSONAdapter, one JSON
    object of the fields); None when this is no DSPy prompt."""
    if not is_signature(convo):
        return None
    fields = _output_fields(convo.system_text)
    if not fields:
        return None
    inputs = {name: re.split(r"\n\nRespond with (?:the corresponding output fields|a JSON object)", value)[0].strip()
              for name, value in _sections(convo.user_text)}
    values: dict[str, str] = {}
    for field in fields:
        values[field.name] = _value(field, inputs, values, convo.system_text, answer)
    if _JSON_OUTPUTS in convo.system_text and "[[ ## completed ## ]]" not in convo.system_text:
        return json.dumps({f.name: _typed(f, values[f.name]) for f in fields}, ensure_ascii=False)
    body = "\n\n".join(f"[[ ## {name} ## ]]\n{value}" for name, value in values.items())
    return f"{body}\n\n[[ ## completed ## ]]"


def _typed(field: Field, value: str) -> Any:
    """A field's text as the JSON value of its type: numbers, booleans and JSON-typed fields parsed."""
    if field.kind in ("int", "float", "bool") or "JSON schema" in field.note or "single" in field.note:
        try:
            return json.loads(value.replace("True", "true").replace("False", "false"))
        except ValueError:
            return value
    return value


def _output_fields(system: str) -> list[Field]:
    listed = _OUTPUTS.search(system)
    if not listed:
        return []
    notes = dict(_NOTE.findall(system))
    return [Field(name, kind, notes.get(name, "")) for name, kind in _FIELD.findall(listed.group(1))]


def _sections(text: str) -> list[tuple[str, str]]:
    marks = list(_HEADER.finditer(text))
    return [(m.group(1), text[m.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)])
            for i, m in enumerate(marks)]


def _main(inputs: dict[str, str]) -> str:
    name = next((n for n in _MAIN_INPUTS if n in inputs), None)
    plain = [v for n, v in inputs.items() if not re.match(r"(?:thought|tool_name|tool_args|observation)_\d+$", n)
             and n != "trajectory"]
    return inputs[name] if name else (plain[0] if plain else "")


def _observations(inputs: dict[str, str]) -> list[str]:
    """What the tools returned, in order; the `finish` step's own observation says nothing."""
    return [v.strip() for n, v in inputs.items() if re.match(r"observation_\d+$", n) and v.strip()
            and inputs.get(n.replace("observation", "tool_name"), "").strip() != "finish"]


def _value(field: Field, inputs: dict[str, str], done: dict[str, str], system: str,
           answer: Callable[[str], str]) -> str:
    question = _main(inputs)
    options = re.search(r"one of: (.+)$", field.note)
    if options:
        return _option([o.strip() for o in options.group(1).split(";")], field, inputs, system, question)
    if "True or False" in field.note or field.kind == "bool":
        return "False" if re.search(r"\b(?:not|no|never|false)\b", question, re.I) else "True"
    if re.search(r"single (?:int|float) value", field.note) or field.kind in ("int", "float"):
        return _number(answer(question), question, field.kind == "float" or "float" in field.note)
    schema = re.search(r"JSON schema: (\{.*\})\s*$", field.note)
    if schema:
        return _json_value(field, schema.group(1), inputs, done, system, question)
    if field.name in ("reasoning", "rationale", "thought", "next_thought"):
        return _thought(field, inputs, question)
    named = _named_value(field.name, {"type": "string"}, question)
    if isinstance(named, str):
        return named
    observations = _observations(inputs)
    if observations:
        return observations[-1]
    return _first_paragraph(answer(_with_context(inputs, question)))


def _option(options: list[str], field: Field, inputs: dict[str, str], system: str, question: str) -> str:
    if "finish" in options and field.name.endswith("tool_name"):  # ReAct: act once, then finish
        tools = [o for o in options if o != "finish"]
        if _observations(inputs) or not tools:
            return "finish"
        described = {name: f"{name.replace('_', ' ')} {desc}" for name, desc, _ in _TOOL.findall(system)}
        return _best_tool(tools, described, question)
    return choose(options, question)


def _best_tool(tools: list[str], described: dict[str, str], question: str) -> str:
    words = set(re.findall(r"[a-z]{3,}", question.lower()))
    scored = [(len(words & set(re.findall(r"[a-z]{3,}", described.get(t, t).lower()))), -i, t)
              for i, t in enumerate(tools)]
    return max(scored)[2]


def _number(answered: str, question: str, floating: bool) -> str:
    found = re.search(r"-?\d+(?:\.\d+)?", answered.replace(",", "")) or re.search(r"-?\d+(?:\.\d+)?", question)
    value = float(found.group(0)) if found else 0.0
    return str(value) if floating else str(int(value))


def _json_value(field: Field, schema_text: str, inputs: dict[str, str], done: dict[str, str], system: str,
                question: str) -> str:
    try:
        schema = json.loads(schema_text)
    except ValueError:
        schema = {}
    if field.name.endswith("tool_args"):  # ReAct: the arguments of the tool just chosen
        chosen = next((v for n, v in done.items() if n.endswith("tool_name")), "finish")
        args = {name: args for name, _, args in _TOOL.findall(system)}.get(chosen)
        if chosen == "finish" or args is None:
            return "{}"
        try:
            schema = {"type": "object", "properties": ast.literal_eval(args), "additionalProperties": False}
        except (ValueError, SyntaxError):
            return "{}"
        schema["required"] = list(schema["properties"])
    else:
        named = _named_value(field.name, schema, question)
        if named is not None:
            return json.dumps(named, ensure_ascii=False)
    # Imported here: generators.structured.hints reads text with generators.structured.facts, which imports this package's word lists.
    from dummy_openai_api.generators.structured.hints import hints_for
    from dummy_openai_api.generators.structured.schema import instance
    value = instance(schema, seed=question.encode(), hints=hints_for(schema, [question]))
    return json.dumps(value, ensure_ascii=False)


def _named_value(name: str, schema: dict[str, Any], question: str) -> Any:
    """The value the input gives for a field its name describes (`name`, `city`, `cities`), else None: hints
    are found by property name, so the field is asked for as the one property of an object."""
    from dummy_openai_api.generators.structured.hints import hints_for
    return hints_for({"type": "object", "properties": {name: schema}}, [question]).get(name)


def _thought(field: Field, inputs: dict[str, str], question: str) -> str:
    subject = " ".join(question.split()[:24])
    if _observations(inputs):
        return f"The observation answers \"{subject}\", so I can finish."
    return f"To answer \"{subject}\", I work through what is given step by step."


def _with_context(inputs: dict[str, str], question: str) -> str:
    context = next((inputs[n] for n in _CONTEXT_INPUTS if n in inputs), None)
    return f"Context:\n{context}\n\nQuestion: {question}" if context else question


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n")[0].strip()
