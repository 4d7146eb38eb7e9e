"""Synthetic replies that follow the request: form, JSON asked for in words, labels, templates, few-shot examples,
DSPy field markers, and answers drawn from the conversation and supplied context (through the real SDK)."""
from __future__ import annotations

import json
import re
from typing import Any

import openai
import pytest

MODEL = "gpt-4o-mini"


def ask(client: openai.OpenAI, text: str, system: str | None = None, **extra: Any) -> str:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": text}]
    reply = client.chat.completions.create(model=MODEL, messages=messages, **extra)
    return reply.choices[0].message.content or ""


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


# --- length and form --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, count", [("Describe the ocean in 2 sentences.", 2),
                                         ("Explain recursion in four sentences.", 4),
                                         ("Tell me about volcanoes in exactly three sentences.", 3)])
def test_n_sentences_gives_n(client: openai.OpenAI, text: str, count: int) -> None:
    assert len(sentences(ask(client, text))) == count


def test_a_sentence_maximum_is_a_ceiling(client: openai.OpenAI) -> None:
    assert len(sentences(ask(client, "What is a compiler?", "Use two sentences maximum."))) <= 2


@pytest.mark.parametrize("system, text, expected", [
    ("Answer only yes or no.", "Is 17 a prime number?", "Yes."),
    (None, "Is 91 prime? Reply with yes or no only.", "No."),
    (None, "Is 144 divisible by 12? Just say yes or no.", "Yes."),
    ("Answer only yes or no.", "Is 3 greater than 7?", "No."),
])
def test_yes_or_no_is_the_verdict_alone(client: openai.OpenAI, system: str | None, text: str, expected: str) -> None:
    assert ask(client, text, system) == expected


@pytest.mark.parametrize("text", ["Reply with a single word: which planet is known as the red planet?",
                                  "In one word, how would you describe the sea?"])
def test_one_word(client: openai.OpenAI, text: str) -> None:
    assert len(ask(client, text).split()) == 1


@pytest.mark.parametrize("text, label, value", [
    ("What is 17 * 23? Finish with a line 'FINAL ANSWER: <number>'.", "FINAL ANSWER", "391"),
    ("What is 12 squared? End your response with 'Answer: <value>'.", "Answer", "144"),
    ("Solve 3x - 5 = 16. Conclude with RESULT: [value]", "RESULT", "7"),
])
def test_answer_template_carries_the_short_answer(client: openai.OpenAI, text: str, label: str, value: str) -> None:
    assert ask(client, text).splitlines()[-1] == f"{label}: {value}"


def test_system_template_applies_to_every_question(client: openai.OpenAI) -> None:
    system = "Report your thoughts, and finish your answer with the following template: FINAL ANSWER: [YOUR ANSWER]."
    assert ask(client, "How much is 250 divided by 4?", system).splitlines()[-1] == "FINAL ANSWER: 62.5"


# --- JSON asked for in words ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Return JSON with fields name and city for: John lives in Berlin", {"name": "John", "city": "Berlin"}),
    ("Maria, 28, is a designer from Madrid. Output JSON with keys name, age and city.",
     {"name": "Maria", "age": 28, "city": "Madrid"}),
])
def test_json_without_response_format(client: openai.OpenAI, text: str, expected: dict) -> None:
    assert json.loads(ask(client, text)) == expected


def test_json_mode_fields_named_in_backticks_carry_the_answer(client: openai.OpenAI) -> None:
    """LangChain's json_mode example: free-text fields get the answer's sentences, not placeholder words."""
    reply = json.loads(ask(client, "Tell me a joke about cats, respond in JSON with `setup` and `punchline` keys",
                           response_format={"type": "json_object"}))
    assert list(reply) == ["setup", "punchline"] and all(value.endswith((".", "?", "!")) for value in reply.values())


def test_a_height_takes_the_number_said_with_it(client: openai.OpenAI) -> None:
    system = ("Answer the user query. Wrap the output in `json` tags\n" + json.dumps(
        {"properties": {"name": {"type": "string"}, "height_in_meters": {"type": "number"}},
         "required": ["name", "height_in_meters"]}))
    assert json.loads(ask(client, "Anna is 23 years old and she is 1.7 metres tall", system)) == {
        "name": "Anna", "height_in_meters": 1.7}


SCHEMA = {"properties": {"city": {"title": "City", "type": "string"}, "country": {"title": "Country", "type": "string"}},
          "required": ["city", "country"], "title": "Place", "type": "object"}


def test_schema_in_the_prompt_is_answered_with_an_instance(client: openai.OpenAI) -> None:
    system = (f"Always respond with a JSON object that's compatible with this schema:\n\n{json.dumps(SCHEMA)}\n\n"
              "Don't include any text or Markdown fencing before or after.")
    assert json.loads(ask(client, "The windy city in the USA is Chicago.", system)) == {"city": "Chicago",
                                                                                       "country": "USA"}


def test_schema_in_the_prompt_is_fenced_when_markdown_is_asked(client: openai.OpenAI) -> None:
    user_schema = {"properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                   "required": ["name", "age"], "title": "UserDetail", "type": "object"}
    system = ("As a genius expert, your task is to understand the content and provide the parsed objects in json that "
              f"match the following json_schema:\n\n{json.dumps(user_schema, indent=2)}\n\nMake sure to return an "
              "instance of the JSON, not the schema itself")
    reply = ask(client, "Jason is 25 years old. Return the correct JSON response within a ```json codeblock. not the "
                        "JSON_SCHEMA", system)
    fenced = re.fullmatch(r"```json\n(.*)\n```", reply, re.S)
    assert fenced and json.loads(fenced.group(1)) == {"name": "Jason", "age": 25}


# --- labels and few-shot examples -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, label", [
    ("Classify the sentiment of this review as positive, negative or neutral.\nReview: I loved it, great food!",
     "positive"),
    ("Label the sentiment (positive/negative): The service was slow and rude.", "negative"),
    ("Categorize this ticket into one of: billing, shipping, login. Ticket: my login code never arrives", "login"),
    ("Classify this headline into one of: sports, politics, technology.\nHeadline: New smartphone chip doubles "
     "battery life", "technology"),
    ("Which intent is this: book_flight, cancel_order, or check_weather? Text: I want to cancel my order",
     "cancel_order"),
])
def test_classification_answers_with_a_given_label(client: openai.OpenAI, text: str, label: str) -> None:
    assert ask(client, text) == label


def test_few_shot_replies_set_the_form(client: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": "Great movie!"}, {"role": "assistant", "content": "Sentiment: positive"},
                {"role": "user", "content": "Boring and too long."},
                {"role": "assistant", "content": "Sentiment: negative"},
                {"role": "user", "content": "What a wonderful, delightful film."}]
    reply = client.chat.completions.create(model=MODEL, messages=messages)
    assert reply.choices[0].message.content == "Sentiment: positive"


def test_examples_in_one_prompt_complete_the_open_line(client: openai.OpenAI) -> None:
    text = "Text: I love this\nSentiment: positive\nText: This is awful\nSentiment: negative\nText: Worst purchase, " \
           "it broke\nSentiment:"
    assert ask(client, text) == "negative"


# --- DSPy's ChatAdapter -----------------------------------------------------------------------------------------

def dspy_system(inputs: list[str], outputs: list[tuple[str, str, str]]) -> str:
    """The system message DSPy's ChatAdapter writes (dspy/adapters/chat_adapter.py), for (name, type, note)."""
    listed_in = "\n".join(f"{i}. `{name}` (str):" for i, name in enumerate(inputs, 1))
    listed_out = "\n".join(f"{i}. `{name}` ({kind}):" for i, (name, kind, _) in enumerate(outputs, 1))
    structure = "\n\n".join([f"[[ ## {name} ## ]]\n{{{name}}}" for name in inputs] + [
        f"[[ ## {name} ## ]]\n{{{name}}}" + (f"        # note: the value you produce {note}" if note else "")
        for name, _, note in outputs])
    return (f"Your input fields are:\n{listed_in}\nYour output fields are:\n{listed_out}\nAll interactions will be "
            f"structured in the following way, with the appropriate values filled in.\n\n{structure}\n\n"
            "[[ ## completed ## ]]\nIn adhering to this structure, your objective is: \n        Answer the question.")


def dspy_user(values: dict[str, str], outputs: list[str]) -> str:
    fields = "\n\n".join(f"[[ ## {name} ## ]]\n{value}" for name, value in values.items())
    order = ", then ".join(f"`[[ ## {name} ## ]]`" for name in outputs)
    return f"{fields}\n\nRespond with the corresponding output fields, starting with the field {order}, and then " \
           "ending with the marker for `[[ ## completed ## ]]`."


def dspy_fields(reply: str) -> dict[str, str]:
    """Parsed the way ChatAdapter.parse does: sections split at header lines."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in reply.splitlines():
        found = re.match(r"\[\[ ## (\w+) ## \]\]", line.strip())
        if found:
            sections.append((found.group(1), []))
        else:
            sections[-1][1].append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections if name}


def test_dspy_every_output_field_then_completed(client: openai.OpenAI) -> None:
    outputs = [("reasoning", "str", ""), ("answer", "int", "must be a single int value")]
    reply = ask(client, dspy_user({"question": "What is 6 times 7?"}, ["reasoning", "answer"]),
                dspy_system(["question"], outputs))
    fields = dspy_fields(reply)
    assert list(fields) == ["reasoning", "answer", "completed"] and fields["answer"] == "42" and fields["reasoning"]


def test_dspy_literal_and_float_fields(client: openai.OpenAI) -> None:
    outputs = [("sentiment", "Literal['positive', 'negative']",
                "must exactly match (no extra characters) one of: positive; negative"),
               ("confidence", "float", "must be a single float value")]
    reply = ask(client, dspy_user({"text": "This product is terrible, I hate it."}, ["sentiment", "confidence"]),
                dspy_system(["text"], outputs))
    fields = dspy_fields(reply)
    assert fields["sentiment"] == "negative" and 0 <= float(fields["confidence"]) <= 1


def test_dspy_answer_from_its_context_field(client: openai.OpenAI) -> None:
    context = "[1] «The Danube flows through ten countries.»\n[2] «Mount Fuji is 3,776 metres high.»"
    reply = ask(client, dspy_user({"context": context, "question": "How high is Mount Fuji?"}, ["answer"]),
                dspy_system(["context", "question"], [("answer", "str", "")]))
    assert "3,776" in dspy_fields(reply)["answer"]


def test_dspy_react_calls_the_fitting_tool_then_finishes(client: openai.OpenAI) -> None:
    tools = ("(1) get_weather, whose description is <desc>Get the weather in a city.</desc>. It takes arguments "
             "{'city': {'type': 'string'}}.\n(2) finish, whose description is <desc>Marks the task as complete.</desc>."
             " It takes arguments {}.")
    outputs = [("next_thought", "str", ""),
               ("next_tool_name", "Literal['get_weather', 'finish']",
                "must exactly match (no extra characters) one of: get_weather; finish"),
               ("next_tool_args", "dict[str, Any]", 'must adhere to the JSON schema: {"type": "object", '
                                                    '"additionalProperties": true}')]
    system = dspy_system(["question", "trajectory"], outputs).replace("Answer the question.", tools)
    names = [name for name, _, _ in outputs]
    first = dspy_fields(ask(client, dspy_user({"question": "What is the weather in Lima?", "trajectory": ""}, names),
                            system))
    assert first["next_tool_name"] == "get_weather" and json.loads(first["next_tool_args"]) == {"city": "Lima"}
    trajectory = ("[[ ## thought_0 ## ]]\nCheck.\n\n[[ ## tool_name_0 ## ]]\nget_weather\n\n[[ ## tool_args_0 ## ]]\n"
                  "{\"city\": \"Lima\"}\n\n[[ ## observation_0 ## ]]\n19 degrees and cloudy")
    then = dspy_fields(ask(client, dspy_user({"question": "What is the weather in Lima?", "trajectory": trajectory},
                                             names), system))
    assert then["next_tool_name"] == "finish" and json.loads(then["next_tool_args"]) == {}


def test_dspy_json_adapter_gets_one_object_of_the_fields(client: openai.OpenAI) -> None:
    system = ("Your input fields are:\n1. `question` (str):\nYour output fields are:\n1. `answer` (int):\nAll "
              "interactions will be structured in the following way, with the appropriate values filled in.\n\nInputs "
              "will have the following structure:\n\n[[ ## question ## ]]\n{question}\n\nOutputs will be a JSON object "
              "with the following fields.\n\n{\n  \"answer\": \"{answer}        # note: the value you produce must be "
              "a single int value\"\n}\nIn adhering to this structure, your objective is: \n        Answer.")
    user = "[[ ## question ## ]]\nWhat is 6 times 7?\n\nRespond with a JSON object in the following order of fields: " \
           "`answer` (must be formatted as a valid Python int)."
    for extra in ({}, {"response_format": {"type": "json_object"}}):
        assert json.loads(ask(client, user, system, **extra)) == {"answer": 42}


# --- context ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Hey there! How are you doing today?", "hello, how are you?",
                                  "Good morning, how are you?"])
def test_greetings_are_answered_as_greetings(client: openai.OpenAI, text: str) -> None:
    reply = ask(client, text)
    assert re.search(r"\b(?:well|fine|great|good|doing)\b", reply, re.I) and "comes down to" not in reply


@pytest.mark.parametrize("text, answer", [("Solve 2x + 6 = 14", "x = 4"), ("Solve for y: 3y - 7 = 11", "y = 6"),
                                          ("If 5n - 3 = 2n + 9, what is n?", "n = 4"),
                                          ("Solve 3(x - 2) = 12", "x = 6"), ("Solve x/4 + 1 = 3", "x = 8")])
def test_linear_equations_are_solved(client: openai.OpenAI, text: str, answer: str) -> None:
    assert ask(client, text).startswith(answer)


@pytest.mark.parametrize("text, answer", [("How many days are in 3 weeks?", "21 days"),
                                          ("How many grams in 2.5 kg?", "2500 grams"),
                                          ("Convert 10 feet to metres", "3.048 metres"),
                                          ("How many minutes in an hour?", "60 minutes")])
def test_units_are_converted_exactly(client: openai.OpenAI, text: str, answer: str) -> None:
    assert answer in ask(client, text)


@pytest.mark.parametrize("stated, question, expected", [
    ("Hi, my name is Zed and I live in Oslo.", "What is my name?", "Zed"),
    ("I live in Lisbon and I work as a nurse.", "Where do I live?", "Lisbon"),
    ("I'm Priya, nice to meet you.", "What's my name?", "Priya"),
    ("My favorite color is teal.", "What is my favorite color?", "teal"),
    ("I am 41 years old.", "How old am I?", "41"),
    ("My dog's name is Rex.", "What's my dog's name?", "Rex"),
    ("I work as a pilot.", "What do I do for a living?", "pilot"),
])
def test_facts_stated_earlier_are_recalled(client: openai.OpenAI, stated: str, question: str, expected: str) -> None:
    messages = [{"role": "user", "content": stated}, {"role": "assistant", "content": "Noted."},
                {"role": "user", "content": question}]
    reply = client.chat.completions.create(model=MODEL, messages=messages).choices[0].message.content or ""
    assert expected in reply


LLAMA_QA = ("Context information is below.\n---------------------\n{context}\n---------------------\nGiven the context "
            "information and not prior knowledge, answer the query.\nQuery: {query}\nAnswer: ")
PASSAGES = ("The Eiffel Tower is in Paris. It was completed in 1889.\n\nPhotosynthesis converts light energy into "
            "chemical energy in plants.\n\nThe Great Wall of China is over 21,000 km long.")


@pytest.mark.parametrize("query, expected", [("When was the Eiffel Tower completed?", "1889"),
                                             ("How long is the Great Wall?", "21,000 km"),
                                             ("What does photosynthesis do?", "light energy")])
def test_retrieval_template_is_answered_from_its_context(client: openai.OpenAI, query: str, expected: str) -> None:
    reply = ask(client, LLAMA_QA.format(context=PASSAGES, query=query))
    assert expected in reply and len(sentences(reply)) <= 2


def test_rag_prompt_with_context_after_the_question(client: openai.OpenAI) -> None:
    text = ("You are an assistant for question-answering tasks. Use the following pieces of retrieved context to "
            "answer the question. Use three sentences maximum and keep the answer concise.\nQuestion: How tall is "
            "Mount Everest? \nContext: Mount Everest is 8,849 metres tall.\n\nThe Amazon is the largest rainforest."
            " \nAnswer:")
    assert ask(client, text) == "Mount Everest is 8,849 metres tall."


def test_context_in_the_system_prompt(client: openai.OpenAI) -> None:
    system = ("Answer the question using only the context below.\n\nContext:\nOur store opens at 9am on weekdays.\n\n"
              "Returns are accepted within 30 days with a receipt.")
    assert "30 days" in ask(client, "How long do I have to return an item?", system)


def test_responses_api_follows_the_same_instructions(client: openai.OpenAI) -> None:
    reply = client.responses.create(model=MODEL, input="Return JSON with fields name and city for: Ana lives in Quito")
    assert json.loads(reply.output_text) == {"name": "Ana", "city": "Quito"}
    solved = client.responses.create(model=MODEL, input="Solve 4x - 2 = 10")
    assert solved.output_text.startswith("x = 3")


def test_same_request_same_answer(client: openai.OpenAI) -> None:
    text = "Classify as spam or ham: WIN a FREE cruise, click now!"
    assert len({ask(client, text) for _ in range(3)}) == 1
