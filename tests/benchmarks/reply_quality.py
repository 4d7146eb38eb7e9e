"""Does a synthetic answer do what the request asks? Varied prompts, each with a check an application would make.

Run from the project root: `python tests/benchmarks/reply_quality.py` prints one line per prompt (ok / WRONG and
the answer), the share right, and the time to compose each answer uncached (median of the set, in ms).
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from dummy_openai_api.generators.chat.completion import ChatGenerator  # noqa: E402
from dummy_openai_api.generators.catalog.models import Catalogue  # noqa: E402
from dummy_openai_api.proxy.validation.chat import chat_request  # noqa: E402

Check = Callable[[dict[str, Any]], bool]


def user(text: str, system: str | None = None) -> list[dict[str, Any]]:
    return ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": text}]


def text_of(message: dict[str, Any]) -> str:
    return message.get("content") or ""


def calls(message: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(c["function"]["name"], json.loads(c["function"]["arguments"])) for c in message.get("tool_calls") or []]


def as_json(text: str) -> Any:
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", text.strip())
    try:
        return json.loads(text)
    except ValueError:
        return None


def sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def tool(name: str, properties: dict[str, Any], required: list[str] | None = None, description: str = "") -> dict:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": properties, "required": required or list(properties)}}}


WEATHER = tool("get_weather", {"city": {"type": "string"}}, description="Get the current weather for a city")
FLIGHT = tool("book_flight", {"origin": {"type": "string"}, "destination": {"type": "string"},
                              "date": {"type": "string", "format": "date"}}, description="Book a flight")
ORDER = tool("lookup_order", {"order_id": {"type": "string", "pattern": "^ORD-\\d{6}$"}},
             description="Look up an order by its id")
PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                                           "city": {"type": "string"}}, "required": ["name", "age", "city"]}
PEOPLE = {"type": "object", "properties": {"people": {"type": "array", "items": {
    "type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"]}}}, "required": ["people"]}
TICKET = {"type": "object", "properties": {"title": {"type": "string"}, "priority": {
    "type": "string", "enum": ["low", "medium", "high"]}}, "required": ["title", "priority"]}
DSPY_SYSTEM = ("Your input fields are:\n1. `question` (str):\nYour output fields are:\n1. `answer` (str):\n"
               "All interactions will be structured in the following way, with the appropriate values filled in.\n\n"
               "[[ ## question ## ]]\n{question}\n\n[[ ## answer ## ]]\n{answer}\n\n[[ ## completed ## ]]\n"
               "In adhering to this structure, your objective is: \n        Given the fields `question`, produce the "
               "fields `answer`.")
DSPY_SENTIMENT = ("Your input fields are:\n1. `text` (str):\nYour output fields are:\n1. `sentiment` "
                  "(Literal['positive', 'negative']):\n2. `confidence` (float):\nAll interactions will be structured "
                  "in the following way, with the appropriate values filled in.\n\n[[ ## text ## ]]\n{text}\n\n"
                  "[[ ## sentiment ## ]]\n{sentiment}        # note: the value you produce must exactly match (no "
                  "extra characters) one of: positive; negative\n\n[[ ## confidence ## ]]\n{confidence}        # note: "
                  "the value you produce must be a single float value\n\n[[ ## completed ## ]]\nIn adhering to this "
                  "structure, your objective is: \n        Classify sentiment.")
SCHEMA_PROMPT = ("Always respond with a JSON object that's compatible with this schema:\n\n" + json.dumps(
    {"properties": {"city": {"type": "string"}, "country": {"type": "string"}}, "required": ["city", "country"],
     "title": "Place", "type": "object"}) + "\n\nDon't include any text or Markdown fencing before or after.")
QA = ("Context information is below.\n---------------------\nThe Eiffel Tower is in Paris. It was completed in 1889.\n\n"
      "Photosynthesis converts light energy into chemical energy in plants.\n\nThe Great Wall of China is over "
      "21,000 km long.\n---------------------\nGiven the context information and not prior knowledge, answer the "
      "query.\nQuery: When was the Eiffel Tower completed?\nAnswer: ")


def dspy_answer(field: str, expected: Callable[[str], bool]) -> Check:
    def check(message: dict[str, Any]) -> bool:
        found = re.search(rf"\[\[ ## {field} ## \]\]\n(.*?)\n\n", text_of(message), re.S)
        return bool(found) and expected(found.group(1).strip()) and text_of(message).rstrip().endswith(
            "[[ ## completed ## ]]")
    return check


# (label, request changes, check)
CASES: list[tuple[str, dict[str, Any], Check]] = [
    ("one word", {"messages": user("Answer in one word: what colour is a clear daytime sky?")},
     lambda m: len(text_of(m).split()) == 1),
    ("one word yes", {"messages": user("Is 91 a prime number? Answer in one word.")},
     lambda m: text_of(m).strip(" .!").lower() == "no"),
    ("yes/no", {"messages": user("Is Paris the capital of France?", "Answer only yes or no.")},
     lambda m: text_of(m).strip(" .!").lower() == "yes"),
    ("N items", {"messages": user("List 4 fruits.")},
     lambda m: len(re.findall(r"(?m)^\s*(?:\d+\.|[-*])\s+\S", text_of(m))) == 4),
    ("N sentences", {"messages": user("Describe the ocean in 2 sentences.")}, lambda m: sentences(text_of(m)) == 2),
    ("JSON in prompt", {"messages": user("Return JSON with fields name and city for: John lives in Berlin")},
     lambda m: as_json(text_of(m)) == {"name": "John", "city": "Berlin"}),
    ("labels", {"messages": user("Classify the sentiment of this review as positive, negative or neutral. "
                                 "Reply with the label only.\nReview: I loved it, the food was great!")},
     lambda m: text_of(m).strip(" .").lower() == "positive"),
    ("FINAL ANSWER", {"messages": user("What is 17 * 23? Finish with a line 'FINAL ANSWER: <number>'.")},
     lambda m: bool(re.search(r"FINAL ANSWER: 391\b", text_of(m)))),
    ("few-shot", {"messages": [{"role": "user", "content": "Great movie!"}, {"role": "assistant",
                                                                           "content": "Sentiment: positive"},
                               {"role": "user", "content": "Boring and too long."},
                               {"role": "assistant", "content": "Sentiment: negative"},
                               {"role": "user", "content": "What a wonderful, delightful film."}]},
     lambda m: text_of(m).strip() == "Sentiment: positive"),
    ("DSPy Predict", {"messages": [{"role": "system", "content": DSPY_SYSTEM}, {"role": "user", "content":
                      "[[ ## question ## ]]\nWhat is 6 times 7?\n\nRespond with the corresponding output fields, "
                      "starting with the field `[[ ## answer ## ]]`, and then ending with the marker for "
                      "`[[ ## completed ## ]]`."}]}, dspy_answer("answer", lambda v: "42" in v)),
    ("DSPy Literal", {"messages": [{"role": "system", "content": DSPY_SENTIMENT}, {"role": "user", "content":
                      "[[ ## text ## ]]\nThis product is terrible, I hate it.\n\nRespond with the corresponding "
                      "output fields, starting with the field `[[ ## sentiment ## ]]`, then `[[ ## confidence ## ]]`, "
                      "and then ending with the marker for `[[ ## completed ## ]]`."}]},
     dspy_answer("sentiment", lambda v: v == "negative")),
    ("schema in prompt", {"messages": user("The windy city in the USA is Chicago.", SCHEMA_PROMPT)},
     lambda m: as_json(text_of(m)) == {"city": "Chicago", "country": "USA"}),
    ("greeting", {"messages": user("Hey there! How are you doing today?")},
     lambda m: bool(re.search(r"\b(?:doing|great|well|good|thanks)\b", text_of(m), re.I))
     and "comes down to" not in text_of(m)),
    ("equation", {"messages": user("Solve 2x + 6 = 14")}, lambda m: bool(re.search(r"x\s*=\s*4\b", text_of(m)))),
    ("percent", {"messages": user("What is 15% of 80?")}, lambda m: bool(re.search(r"\b12\b", text_of(m)))),
    ("recall", {"messages": [{"role": "user", "content": "Hi, my name is Zed and I live in Oslo."},
                             {"role": "assistant", "content": "Nice to meet you, Zed!"},
                             {"role": "user", "content": "What is my name?"}]}, lambda m: "Zed" in text_of(m)),
    ("recall city", {"messages": [{"role": "user", "content": "I live in Lisbon and I work as a nurse."},
                                  {"role": "assistant", "content": "Got it."},
                                  {"role": "user", "content": "Where do I live?"}]},
     lambda m: "Lisbon" in text_of(m)),
    ("context QA", {"messages": user(QA)}, lambda m: "1889" in text_of(m)),
    ("from X to Y", {"messages": user("Book a flight from London to New York on 2025-03-14"), "tools": [FLIGHT]},
     lambda m: calls(m) == [("book_flight", {"origin": "London", "destination": "New York", "date": "2025-03-14"})]),
    ("to Y from X", {"messages": user("I need a flight to Rome from Madrid on 2025-05-02"), "tools": [FLIGHT]},
     lambda m: calls(m)[:1] and calls(m)[0][1].get("origin") == "Madrid" and calls(m)[0][1]["destination"] == "Rome"),
    ("pattern ID", {"messages": user("Where is my order ORD-123456?"), "tools": [ORDER]},
     lambda m: calls(m) == [("lookup_order", {"order_id": "ORD-123456"})]),
    ("punctuation", {"messages": user("John lives in Berlin. He is 32."),
                     "response_format": {"type": "json_schema", "json_schema": {"name": "p", "schema": PERSON}}},
     lambda m: as_json(text_of(m)) == {"name": "John", "age": 32, "city": "Berlin"}),
    ("one item each", {"messages": user("Extract: Alice is 30 years old."),
                       "response_format": {"type": "json_schema", "json_schema": {"name": "p", "schema": PEOPLE}}},
     lambda m: as_json(text_of(m)) == {"people": [{"name": "Alice", "age": 30}]}),
    ("two items", {"messages": user("Alice is 30 and Bob is 25."),
                   "response_format": {"type": "json_schema", "json_schema": {"name": "p", "schema": PEOPLE}}},
     lambda m: as_json(text_of(m)) == {"people": [{"name": "Alice", "age": 30}, {"name": "Bob", "age": 25}]}),
    ("enum by words", {"messages": user("File a ticket: the login page crashes, this is urgent, high priority."),
                       "response_format": {"type": "json_schema", "json_schema": {"name": "t", "schema": TICKET}}},
     lambda m: (as_json(text_of(m)) or {}).get("priority") == "high"),
    ("extraction tool auto", {"messages": user("Extract the user: Jason is 25 years old."), "tools": [
        tool("UserDetail", {"name": {"type": "string"}, "age": {"type": "integer"}},
             description="Correctly extracted `UserDetail` with all the required parameters with correct types")]},
     lambda m: calls(m) == [("UserDetail", {"name": "Jason", "age": 25})]),
    ("follow-up", {"messages": [
        {"role": "user", "content": "What's the weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
            "name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "18C and sunny"},
        {"role": "assistant", "content": "It is 18C and sunny in Paris."},
        {"role": "user", "content": "And in Madrid?"}], "tools": [WEATHER]},
     lambda m: calls(m) == [("get_weather", {"city": "Madrid"})]),
]


def run() -> None:
    generator = ChatGenerator(cache_size=0)
    model = Catalogue.default().get("gpt-4o-mini")
    right, times = 0, []
    for label, changes, check in CASES:
        request = chat_request({"model": "gpt-4o-mini", **changes}, lambda _: model)
        started = time.perf_counter()
        completion = generator.complete(request)
        times.append(time.perf_counter() - started)
        choice = completion.choices[0]
        message = {"content": choice.text, "tool_calls": [
            {"function": {"name": c.name, "arguments": c.arguments}} for c in choice.tool_calls]}
        try:
            ok = bool(check(message))
        except Exception:  # noqa: BLE001 - a malformed answer is a wrong one
            ok = False
        right += ok
        shown = choice.text if choice.text is not None else json.dumps(calls(message))
        print(f"{'ok   ' if ok else 'WRONG'} {label:22} {shown[:110]!r}")
    print(f"\n{right}/{len(CASES)} right; median compose {1000 * statistics.median(times):.2f} ms")


if __name__ == "__main__":
    run()
