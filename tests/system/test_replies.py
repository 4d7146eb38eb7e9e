"""Unit tests for generators.replies: the shape of each kind of reply, styles, determinism and the rules file."""
from __future__ import annotations

import builtins
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dummy_openai_api.generators.replies.phrasebook import code as pb
from dummy_openai_api.generators import replies
from dummy_openai_api.generators.replies import ReplyRule, ReplyRules, compose, load_rules

ROOT = Path(__file__).resolve().parents[2]


def user(text: Any) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def chat(system: str, text: str) -> list[dict[str, Any]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


def reply(text: str, **options: Any) -> str:
    return compose(user(text), **options)


def fenced(text: str) -> tuple[str, str, str, str]:
    """(intro, language tag, code, explanation) of a reply with exactly one fenced block."""
    blocks = re.findall(r"```", text)
    assert len(blocks) == 2, text
    found = re.fullmatch(r"(?s)(.+?)\n\n```(\w+)\n(.+?)\n```\n\n(.+)", text)
    assert found, text
    return found.group(1), found.group(2), found.group(3), found.group(4)


def list_items(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"(?m)^(?:\d+\.|-) (.+)$", text)]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


# --- categories -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("prompt", ["hi", "hello there", "Good morning!", "Hey!", "good evening", "hello, Max"])
def test_greeting_is_short_and_offers_help(prompt: str) -> None:
    text = reply(prompt)
    assert re.match(r"(Hi|Hello|Hey|Good (morning|evening))\b", text), text
    assert len(words(text)) <= 20
    assert re.search(r"\bhelp|\bwhat\b|\bask\b", text, re.I)


@pytest.mark.parametrize("prompt, fragment", [
    ("how are you?", "thank"), ("thanks!", "welcome|help|anytime|pleasure"), ("bye", "bye|care|later|day"),
    ("who are you?", "assistant"),
])
def test_small_talk(prompt: str, fragment: str) -> None:
    assert re.search(fragment, reply(prompt), re.I)


CODE_CASES = [
    ("write a python function that reverses a string", "python", "def reverse_string"),
    ("show me a SQL query to count users by country", "sql", "GROUP BY country"),
    ("bash script to back up a folder", "bash", "tar -czf"),
    ("implement binary search in Rust", "rust", "fn binary_search"),
    ("TypeScript interface for a user", "typescript", "interface User"),
    ("write a javascript function to check if a number is prime", "javascript", "function isPrime"),
    ("write a go function that computes fibonacci numbers", "go", "func fibonacci"),
    ("factorial in java", "java", "factorial(int n)"),
    ("C++ program to sort a list of numbers", "cpp", "std::sort"),
    ("C# method to check for a palindrome", "csharp", "IsPalindrome"),
    ("write a ruby function that counts words in a text", "ruby", "def count_words"),
    ("php function to read a file", "php", "file_get_contents"),
    ("kotlin function to sum a list", "kotlin", "fun sumList"),
    ("swift hello world", "swift", "Hello, world!"),
    ("write an html page with a contact form", "html", "<form"),
    ("css to center a div", "css", "justify-content: center"),
    ("write a c function to reverse a string", "c", "void reverse_string"),
    ("node.js code to fetch data from an api", "javascript", "await fetch(url)"),
    ("write a python function that validates email addresses", "python", "def validate_email_addresses"),
    ("write a go function that validates email addresses", "go", "func validateEmailAddresses"),
    ("write a kotlin data class for a product", "kotlin", "data class Product"),
    ("Can you write a function that merges two sorted lists?", "python", "def merge_two_sorted_lists"),
    ("SQL to get the average price of products per category", "sql", "AVG(price)"),
]


@pytest.mark.parametrize("prompt, language, fragment", CODE_CASES)
def test_code_reply_has_intro_tagged_block_and_explanation(prompt: str, language: str, fragment: str) -> None:
    intro, tag, code, explanation = fenced(reply(prompt))
    assert tag == language
    assert fragment in code
    assert len(sentences(intro)) == 1 and intro.endswith(":")
    assert explanation.endswith((".", "?"))


@pytest.mark.parametrize("prompt", [c[0] for c in CODE_CASES if c[1] == "python"])
def test_python_replies_compile(prompt: str) -> None:
    compile(fenced(reply(prompt))[2], "<reply>", "exec")  # compiled, never run


@pytest.mark.parametrize("task", sorted(task for task, sources in pb.CODE_TEMPLATES.items() if "python" in sources))
def test_every_python_template_compiles(task: str) -> None:
    compile(pb.CODE_TEMPLATES[task]["python"], task, "exec")  # compiled, never run


def test_code_language_defaults_to_python_and_follows_a_system_hint() -> None:
    assert fenced(reply("write a function that checks if a number is prime"))[1] == "python"
    assert fenced(compose(chat("You are a SQL expert.", "write a query to find the top 5 customers by revenue")))[1] == "sql"
    assert fenced(compose(chat("You are a Rust expert.", "write a function that reverses a string")))[1] == "rust"


def test_code_follow_up_in_another_language() -> None:
    messages = [*user("write a python function that reverses a string"), {"role": "assistant", "content": "..."},
                *user("what about in Rust?")]
    assert fenced(compose(messages))[1] == "rust"


LIST_CASES = [
    ("list 5 fruits", 5, "fruit"),
    ("give me three ideas for a birthday party", 3, "birthday party"),
    ("top 10 programming languages", 10, "language"),
    ("5 ways to save money", 5, "saving money"),
    ("name seven animals", 7, "animal"),
    ("list twelve tips for learning guitar", 12, "learning guitar"),
    ("give me 20 facts about octopuses", 20, "octopuses"),
    ("suggest 4 books about space", 4, "space"),
    ("list 3 benefits of exercise", 3, "exercise"),
]


@pytest.mark.parametrize("prompt, count, topic", LIST_CASES)
def test_list_has_exactly_the_count_and_each_item_mentions_the_topic(prompt: str, count: int, topic: str) -> None:
    items = list_items(reply(prompt))
    assert len(items) == count
    assert all(topic.lower() in item.lower() for item in items), items
    assert len(set(items)) == count


@pytest.mark.parametrize("prompt, subject", [
    ("how do I reset my password?", "password"),
    ("how to bake sourdough bread", "bread"),
    ("steps to install docker on ubuntu", "docker"),
    ("how can I learn spanish faster?", "spanish"),
    ("walk me through setting up a python virtual environment", "virtual environment"),
])
def test_howto_has_numbered_steps_that_mention_the_subject(prompt: str, subject: str) -> None:
    text = reply(prompt)
    steps = re.findall(r"(?m)^(\d+)\. (.+)$", text)
    assert 3 <= len(steps) <= 6
    assert [int(n) for n, _ in steps] == list(range(1, len(steps) + 1))
    assert all(subject in step.lower() for _, step in steps)
    assert not re.match(r"\d", text)  # a one-line intro comes first


ARTICLE = ("The Amazon rainforest covers much of the Amazon basin in South America. It is home to millions of "
           "species of insects, plants, birds and other forms of life. Deforestation threatens the rainforest, "
           "mainly through cattle ranching and logging. Scientists warn that the rainforest could reach a tipping "
           "point. Many governments have pledged to protect the rainforest, but enforcement remains weak.")


def summary_body(text: str) -> str:
    return re.sub(r"^(In short|Summary|Here's the gist|TL;DR|The key points): ", "", text)


@pytest.mark.parametrize("messages", [
    user(f"Summarize this: {ARTICLE}"),
    user(f'Please give me a summary of "{ARTICLE}"'),
    user(f"TL;DR\n{ARTICLE}"),
    user(f"Summarise the following article. {ARTICLE}"),
    [*user(ARTICLE), {"role": "assistant", "content": "Interesting."}, *user("summarize the above")],
    [{"role": "system", "content": ARTICLE}, *user("Can you summarize that for me?")],
], ids=["colon", "quoted", "paragraph", "after-first-sentence", "earlier-message", "system-prompt"])
def test_summary_is_shorter_and_made_of_source_sentences(messages: list[dict[str, Any]]) -> None:
    text = compose(messages)
    assert len(text) < len(ARTICLE)
    body = summary_body(text)
    assert body != text, "a summary starts with a natural prefix"
    assert sentences(body) and all(s in ARTICLE for s in sentences(body))


def test_summary_of_a_long_text_keeps_source_order() -> None:
    source = " ".join(f"Sentence number {i} talks about topic {i % 7} and rivers." for i in range(200))
    body = summary_body(reply(f"Summarize: {source}"))
    picked = [int(n) for n in re.findall(r"number (\d+)", body)]
    assert picked == sorted(picked) and 1 <= len(picked) <= 5


def test_summary_without_text_asks_for_it() -> None:
    assert re.search(r"\btext\b|\bpaste\b|\bshare\b|\bsend\b", reply("summarize this"), re.I)


@pytest.mark.parametrize("prompt, start, term", [
    ("what is recursion?", "Recursion is", "recursion"),
    ("what are microservices?", "Microservices are", "microservices"),
    ("explain docker", "Docker is", "docker"),
    ("what is a quokka?", "A quokka is", "quokka"),
    ("why is the sky blue?", "", "sky is blue"),
    ("how does DNS work?", "", "DNS works"),
    ("who invented the telephone?", "", "telephone"),
    ("hey, can you tell me what recursion is?", "Recursion is", "recursion"),
])
def test_questions_get_an_answer_shaped_reply(prompt: str, start: str, term: str) -> None:
    text = reply(prompt)
    assert text.startswith(start)
    assert term.lower() in text.lower()
    assert 2 <= len(sentences(text)) <= 4


def test_capital_question_is_answered_from_the_table() -> None:
    assert reply("What is the capital of France?").startswith("The capital of France is Paris.")


@pytest.mark.parametrize("prompt, result", [
    ("what is 12 * 7", "84"), ("2+2", "4"), ("calculate 15% of 80", "12"), ("what is 10 / 4?", "2.5"),
    ("what's 2^10", "1024"), ("what is (3 + 4) * 5", "35"), ("100 - 1", "99"), ("seven times six", "42"),
    ("what is 7 divided by 2", "3.5"), ("square root of 144", "12"), ("what is 10 % 3", "1"), ("-5 + 3", "-2"),
    ("what is 1,000 * 3", "3000"), ("what is 0.1 + 0.2", "0.3"), ("3 x 4", "12"), ("what is 2 ** 100",
                                                                                   str(2 ** 100)),
])
def test_arithmetic_is_exact(prompt: str, result: str) -> None:
    text = reply(prompt)
    assert re.search(rf"(?<![\d.]){re.escape(result)}(?![\d])", text), text
    assert "0.30000000000000004" not in text


@pytest.mark.parametrize("prompt, fragment", [
    ("what is 1/0", "undefined"), ("what is 9^9^9^9", "too large"), ("what is 1/3", "≈ 0.333333"),
    ("square root of 2", "≈ 1.414214"),
])
def test_arithmetic_edge_cases(prompt: str, fragment: str) -> None:
    assert fragment in reply(prompt)


@given(st.recursive(st.integers(-50, 50).map(str),
                    lambda inner: st.tuples(inner, st.sampled_from("+-*"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                    max_leaves=6).filter(lambda expression: "(" in expression))
@settings(max_examples=150, deadline=None)
def test_arithmetic_matches_exact_evaluation(expression: str) -> None:
    expected = _reference_value(expression)
    text = reply(f"what is {expression}")
    assert re.search(rf"(?<![\d.]){re.escape(str(expected))}(?![\d])", text), (expression, text)


def _reference_value(expression: str) -> int:
    """An independent evaluator for the generated (a op b) expressions: a stack over the tokens."""
    tokens = re.findall(r"-?\d+|[-+*()]", expression)
    def parse(position: int) -> tuple[int, int]:
        if tokens[position] == "(":
            left, position = parse(position + 1)
            operator, (right, position) = tokens[position], parse(position + 1)
            value = left + right if operator == "+" else left - right if operator == "-" else left * right
            return value, position + 1
        return int(tokens[position]), position + 1
    return parse(0)[0]


@pytest.mark.parametrize("prompt", [
    "is python good for data science?", "can I use rust for web development?", "should I learn go?",
    "does coffee help with focus?", "are cats better than dogs?", "do I need a visa for Japan?",
])
def test_yes_no_starts_with_yes_or_no_and_gives_a_reason(prompt: str) -> None:
    text = reply(prompt)
    assert re.match(r"(Yes|No)\b", text)
    assert text == reply(prompt)
    assert len(sentences(text)) >= 2


@pytest.mark.parametrize("prompt, translation", [
    ("translate 'good morning' to French", "Bonjour"), ("how do you say thank you in Spanish?", "Gracias"),
    ("what is the German word for dog", "Hund"), ("translate hello into Italian", "Ciao"),
    ("Translate to French: good night", "Bonne nuit"),
])
def test_translation_from_the_phrasebook(prompt: str, translation: str) -> None:
    assert translation in reply(prompt)


def test_unknown_translation_quotes_the_text() -> None:
    text = reply("translate 'the red car is fast' to German")
    assert '"the red car is fast"' in text and "German" in text and "rot" in text


def test_haiku_has_three_lines_about_the_subject() -> None:
    lines = reply("write a haiku about autumn").splitlines()
    assert len(lines) == 3 and "autumn" in lines[0].lower() + lines[1].lower() + lines[2].lower()


@pytest.mark.parametrize("prompt, subject", [
    ("write a poem about the sea", "the sea"), ("tell me a joke about programmers", "programmers"),
    ("write a short story about a dragon", "a dragon"),
])
def test_creative_pieces_are_about_the_subject(prompt: str, subject: str) -> None:
    text = reply(prompt)
    assert subject in text.lower()
    assert 15 <= len(words(text)) <= 120


def test_story_has_several_sentences() -> None:
    assert len(sentences(reply("write a short story about a dragon"))) >= 3


@pytest.mark.parametrize("prompt, first, second", [
    ("python vs javascript", "python", "javascript"),
    ("what is the difference between TCP and UDP?", "TCP", "UDP"),
    ("compare cats and dogs", "cats", "dogs"),
    ("should I use react or vue?", "react", "vue"),
])
def test_comparison_names_both_sides(prompt: str, first: str, second: str) -> None:
    text = reply(prompt)
    assert first.lower() in text.lower() and second.lower() in text.lower()
    assert len(list_items(text)) == 2


WEATHER = {"location": "Paris", "temperature": 18, "unit": "celsius", "condition": "sunny"}


def with_tool_result(content: str, name: str | None = "get_weather") -> list[dict[str, Any]]:
    call = {"id": "call_1", "type": "function", "function": {"name": name or "", "arguments": "{}"}}
    return [*user("What's the weather in Paris?"), {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_1", "content": content}]


@pytest.mark.parametrize("payload, fragments", [
    (WEATHER, ["Paris", "18°C", "sunny"]),
    ({"temperature": 18, "unit": "celsius", "humidity": 60}, ["temperature is 18", "humidity is 60"]),
    ([{"title": "First hit", "url": "https://a.example"}, {"title": "Second"}], ["2 results", "First hit"]),
    (["red", "green", "blue"], ["3 items", "red, green, blue"]),
    ({"error": "rate limit exceeded"}, ["rate limit exceeded"]),
    (42, ["42"]),
])
def test_tool_result_is_stated_in_a_sentence(payload: Any, fragments: list[str]) -> None:
    text = compose(with_tool_result(json.dumps(payload)))
    assert all(fragment in text for fragment in fragments), text


def test_plain_text_tool_result_is_quoted() -> None:
    text = compose(with_tool_result("The deployment finished in 42 seconds."))
    assert "The deployment finished in 42 seconds." in text and "get_weather" in text


def test_legacy_function_message_counts_as_a_tool_result() -> None:
    messages = [*user("weather?"), {"role": "function", "name": "lookup", "content": json.dumps(WEATHER)}]
    assert "Paris" in compose(messages) and "sunny" in compose(messages)


def test_email_has_subject_greeting_body_and_signature() -> None:
    text = reply("Write an email to my boss asking for a day off")
    assert text.startswith("Subject: Request for a day off\n\n")
    assert re.search(r"(?m)^(Hi|Dear|Hello) \[Boss's name\],$", text)
    assert "to ask for a day off" in text and text.endswith("[Your name]")


def test_email_to_a_named_person() -> None:
    assert re.search(r"(?m)^(Hi|Dear|Hello) John,$", reply("draft a polite email to John about the project delay"))


def test_short_paragraph_about_a_topic() -> None:
    text = reply("write a short paragraph about climate change")
    assert text.lower().count("climate change") >= 2 and 3 <= len(sentences(text)) <= 6


def test_list_of_a_known_category_without_a_count() -> None:
    assert {item.split(" — ")[0] for item in list_items(reply("list the planets"))} == {
        "Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"}


@pytest.mark.parametrize("prompt, start", [
    ("what does API mean?", "API is"), ("explain quantum computing like I'm five", "Quantum computing is"),
    ("explain recursion in one sentence", "Recursion is"),
])
def test_directives_and_phrasings_do_not_leak_into_the_subject(prompt: str, start: str) -> None:
    assert reply(prompt).startswith(start)


def test_another_one_repeats_the_previous_kind_of_request() -> None:
    messages = [*user("tell me a joke about cats"), {"role": "assistant", "content": "..."}, *user("another one")]
    assert "cat" in compose(messages).lower()


@pytest.mark.parametrize("prompt, term", [("I like turtles", "turtles"), ("my garden has too many snails", "snails")])
def test_generic_reply_mentions_the_key_words(prompt: str, term: str) -> None:
    text = reply(prompt)
    assert term in text and 2 <= len(sentences(text)) <= 3


def test_image_only_message_gets_a_description() -> None:
    messages = user([{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}])
    assert "image" in compose(messages).lower()


# --- the system prompt ------------------------------------------------------------------------------------

PROSE_PROMPTS = ["what is recursion?", "I like turtles", "is python good for data science?", "why is the sky blue?"]


def test_pirate_persona_flavours_the_reply() -> None:
    text = compose(chat("You are a pirate.", "what is recursion?"))
    assert re.search(r"\b(Arr|Ahoy|matey|ye|yer|be)\b", text)


def test_helpful_assistant_prompt_changes_nothing_in_style() -> None:
    text = compose(chat("You are a helpful assistant.", "what is recursion?"))
    assert text.startswith("Recursion is") and not re.search(r"\b(Arr|Ahoy|matey)\b", text)


@pytest.mark.parametrize("prompt", PROSE_PROMPTS)
def test_be_concise_shortens(prompt: str) -> None:
    assert len(compose(chat("Be concise.", prompt))) < len(compose(chat("", prompt)))


@pytest.mark.parametrize("prompt", PROSE_PROMPTS)
def test_one_sentence(prompt: str) -> None:
    assert len(sentences(compose(chat("Answer in one sentence.", prompt)))) == 1


@pytest.mark.parametrize("prompt", [*PROSE_PROMPTS, "what is 12 * 7", "hello"])
def test_one_word(prompt: str) -> None:
    assert re.fullmatch(r"\S+", compose(chat("Reply with one word only.", prompt)))


@pytest.mark.parametrize("system, prompt, marker", [
    ("Always answer in French.", "hello", "Bonjour|Salut"),
    ("Always answer in French.", "what is recursion?", "recursion"),
    ("Respond in Spanish.", "what is 12 * 7", "84"),
    ("Antworte bitte in German.", "is python good for data science?", "Ja|Nein"),
    ("Rispondi in Italian.", "list 3 tips for sleeping better", "sleeping better"),
])
def test_reply_language(system: str, prompt: str, marker: str) -> None:
    text = compose(chat(system, prompt))
    assert re.search(marker, text)
    assert not re.search(r"\b(?:[Tt]he|is|Let me|Here)\b", text)  # no English frame around the facts


def test_french_reply_uses_french_words() -> None:
    assert re.search(r"\b(Bonne|Concernant|Parlons|tout|Dites)\b", compose(chat("Answer in French.", "what is recursion?")))


@pytest.mark.parametrize("prompt", ["what is 12 * 7", "list 3 fruits", "hello", "what is recursion?",
                                    "write a python function that reverses a string", "how do I reset my password?"])
def test_json_mode_returns_one_object(prompt: str) -> None:
    payload = json.loads(compose(chat("Only output JSON.", prompt)))
    assert isinstance(payload, dict) and payload["answer"]


def test_json_mode_keeps_the_facts() -> None:
    assert json.loads(compose(chat("Respond in JSON.", "what is 12 * 7")))["result"] == 84
    assert len(json.loads(compose(chat("Respond in JSON.", "list 4 fruits")))["items"]) == 4
    code = json.loads(compose(chat("Respond in JSON.", "write a python function that reverses a string")))
    assert code["language"] == "python" and "def reverse_string" in code["code"]


def test_json_example_in_the_system_prompt_sets_the_keys() -> None:
    system = 'Reply in JSON like {"sentiment": "positive|negative", "confidence": 0.9, "reason": "..."}'
    payload = json.loads(compose(chat(system, "I love this product")))
    assert list(payload) == ["sentiment", "confidence", "reason"]
    assert payload["sentiment"] == "positive" and isinstance(payload["confidence"], float)


@pytest.mark.parametrize("prompt", ["what is docker?", "list 3 fruits", "how do I reset my password?"])
def test_bullet_points(prompt: str) -> None:
    lines = [line for line in compose(chat("Use bullet points.", prompt)).splitlines() if line.strip()]
    assert sum(line.startswith("- ") for line in lines) >= 2
    assert not any(re.match(r"\d+\. ", line) for line in lines)


# --- conversation handling ---------------------------------------------------------------------------------

def test_assistant_messages_are_not_answered() -> None:
    messages = [*user("tell me about docker"), {"role": "assistant", "content": "what is python?"}]
    text = compose(messages)
    assert "docker" in text.lower() and "python" not in text.lower()


def test_same_question_after_another_exchange_is_still_answered() -> None:
    messages = [*user("hi"), {"role": "assistant", "content": "Hello! How can I help?"}, *user("what is recursion?")]
    assert compose(messages).startswith("Recursion is")


@pytest.mark.parametrize("messages", [
    [], [{"role": "system", "content": "You are a bot."}], user(None), user(""), user("   "), [{"role": "user"}],
    [None, 5, "junk"], user([{"type": "mystery"}]), user({"type": "text"}), "not a list", None, 42,
    [{"role": "assistant", "content": "Hi"}], user([{"type": "input_audio", "input_audio": {"data": "AA=="}}]),
    [{"role": "tool", "content": None}], [{"role": 7, "content": ["a", 1, None, {"type": "text", "text": 5}]}],
])
def test_degenerate_conversations_get_a_short_generic_reply(messages: Any) -> None:
    text = compose(messages)
    assert text.strip() and text == text.strip() and len(words(text)) <= 40


# --- determinism and variety ------------------------------------------------------------------------------

SAMPLE_PROMPTS = [
    "hello", "what is recursion?", "write a python function that reverses a string", "list 5 fruits",
    "how do I reset my password?", "what is 12 * 7", "is python good for data science?",
    "translate 'good morning' to French", "write a haiku about autumn", "tell me a joke", "python vs javascript",
    "I like turtles", "summarize: " + ARTICLE, "why is the sky blue?", "who invented the telephone?",
    "give me three ideas for a birthday party", "write a poem about the sea", "thanks!", "bye",
    "what is the capital of France?",
]


def test_same_input_same_output() -> None:
    for prompt in SAMPLE_PROMPTS:
        assert reply(prompt) == reply(prompt)
        assert reply(prompt, seed=7, variant=2) == reply(prompt, seed=7, variant=2)


def test_output_is_the_same_in_another_process() -> None:
    script = ("import json, sys; from generators.replies import compose; "
              "print(json.dumps([compose([{'role': 'user', 'content': p}], seed=s, variant=v) "
              "for p in json.load(sys.stdin) for s in (None, 3) for v in (0, 1)]))")
    expected = [reply(p, seed=s, variant=v) for p in SAMPLE_PROMPTS for s in (None, 3) for v in (0, 1)]
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", script], input=json.dumps(SAMPLE_PROMPTS), env=env,
                              capture_output=True, text=True, check=True)
        assert json.loads(done.stdout) == expected


def content_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@pytest.mark.parametrize("prompt", SAMPLE_PROMPTS)
def test_variants_are_distinct_in_content(prompt: str) -> None:
    texts = [content_of(reply(prompt, variant=v)) for v in range(5)]
    assert len(set(texts)) == 5


def test_many_variants_stay_distinct() -> None:
    texts = {content_of(reply("what is 12 * 7", variant=v)) for v in range(40)}
    assert len(texts) == 40


def test_different_prompts_give_different_replies() -> None:
    assert len({reply(p) for p in SAMPLE_PROMPTS}) == len(SAMPLE_PROMPTS)


def test_seeds_pick_among_wordings() -> None:
    assert len({reply("what is recursion?", seed=s) for s in range(10)}) >= 3
    assert reply("what is recursion?", seed=None) == reply("what is recursion?")


@pytest.mark.parametrize("prompt", SAMPLE_PROMPTS)
def test_lengths_and_whitespace(prompt: str) -> None:
    text = reply(prompt)
    prose = re.sub(r"(?s)```.*?```", "", text)
    assert 3 <= len(words(prose)) <= 120
    assert all(line == line.rstrip() for line in text.splitlines())


def test_no_lorem_ipsum() -> None:
    assert not any("lorem" in reply(p).lower() for p in SAMPLE_PROMPTS)


# --- robustness --------------------------------------------------------------------------------------------

_junk = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.text(max_size=20))
_part = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": st.one_of(st.text(max_size=200), _junk)}),
    st.fixed_dictionaries({"type": st.sampled_from(["image_url", "input_audio", "file", "refusal", "weird"])},
                          optional={"image_url": st.dictionaries(st.text(max_size=5), _junk, max_size=2),
                                    "refusal": _junk}),
    st.dictionaries(st.text(max_size=8), _junk, max_size=3), _junk,
)
_content = st.one_of(st.text(max_size=400), st.lists(_part, max_size=4), _junk, st.dictionaries(st.text(max_size=5),
                                                                                                 _junk, max_size=2))
_message = st.one_of(
    st.fixed_dictionaries({"role": st.sampled_from(["system", "developer", "user", "assistant", "tool", "function"])},
                          optional={"content": _content, "name": _junk, "tool_call_id": _junk,
                                    "tool_calls": st.lists(st.dictionaries(st.text(max_size=5), _junk), max_size=2)}),
    st.fixed_dictionaries({}, optional={"role": _junk, "content": _content}),
    _junk,
)


@given(messages=st.lists(_message, max_size=5), seed=st.one_of(st.none(), st.integers()), variant=st.integers(0, 9))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_conversations_never_fail(messages: list[Any], seed: int | None, variant: int) -> None:
    text = replies._compose(messages, seed, None, variant)  # the inner function: no safety net hides a bug
    assert text.strip() and text == text.strip()
    assert all(line == line.rstrip() for line in text.splitlines())


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_user_text_gets_a_reply(text: str) -> None:
    assert replies._compose(user(text), None, None, 0).strip()


@pytest.mark.parametrize("prompt", [
    "what is __import__('os').system('x')", "calculate __import__('os').system('echo hi')",
    "what is (lambda: 1)()", "2+2; import os", "what is open('/etc/passwd').read()", "what is 1 if True else 2",
])
def test_hostile_input_is_never_evaluated(prompt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("eval/exec/system must never run")

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, forbidden)
    monkeypatch.setattr(os, "system", forbidden)
    text = replies._compose(user(prompt), None, None, 0)
    assert text.strip() and "Traceback" not in text


def test_huge_input_is_handled() -> None:
    assert reply("why " * 200_000).strip()
    assert reply("(" * 5000 + "1" + ")" * 5000).strip()


# --- rules file --------------------------------------------------------------------------------------------

RULES_YAML = """
rules:
  - contains: "refund policy"
    reply: "Refunds are accepted within 30 days."
  - regex: "weather in (?P<city>\\\\w+)"
    reply: "It is always sunny in {city}."
  - system_contains: "pirate"
    reply: "Arr, ask away!"
  - contains: ["price", "cost"]
    replies: ["It costs $10.", "The price is ten dollars."]
  - contains: "status"
    reply: '{"status": "ok", "detail": "{0}"}'
  - contains: "refund"
    reply: "This rule is shadowed by rule 1 for refund policy questions."
default_replies:
  - "I'm a test double; here is a canned answer."
"""


@pytest.fixture
def rules(tmp_path: Path) -> ReplyRules:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES_YAML, encoding="utf-8")
    return load_rules(path)


def test_the_documented_example_is_a_valid_rules_file(tmp_path: Path) -> None:
    doc = replies.__doc__ or ""
    example = doc[doc.index("    # Rules are checked"):doc.index("A rule needs")]
    path = tmp_path / "documented.yaml"
    path.write_text("\n".join(line[4:] for line in example.splitlines()), encoding="utf-8")
    documented = load_rules(path)
    assert compose(user("what's the weather in Oslo?"), rules=documented) == "It is always sunny in Oslo."
    assert compose(user("I like turtles"), rules=documented) == documented.default_replies[0]


def test_rules_match_in_order(rules: ReplyRules) -> None:
    assert compose(user("What is your REFUND POLICY?"), rules=rules) == "Refunds are accepted within 30 days."
    assert compose(user("can I get a refund?"), rules=rules).startswith("This rule is shadowed")


def test_regex_groups_fill_the_reply(rules: ReplyRules) -> None:
    assert compose(user("what's the weather in Lisbon today"), rules=rules) == "It is always sunny in Lisbon."


def test_system_contains_matches_the_system_prompt(rules: ReplyRules) -> None:
    assert compose(chat("You are a pirate.", "hello"), rules=rules) == "Arr, ask away!"


def test_several_replies_are_picked_by_variant(rules: ReplyRules) -> None:
    first, second = (compose(user("what does it cost?"), rules=rules, variant=v) for v in (0, 1))
    assert (first, second) == ("It costs $10.", "The price is ten dollars.")
    assert compose(user("price?"), rules=rules, seed=5) in ("It costs $10.", "The price is ten dollars.")


def test_braces_that_are_not_groups_stay(rules: ReplyRules) -> None:
    assert json.loads(compose(user("status"), rules=rules)) == {"status": "ok", "detail": "{0}"}


def test_default_replies_replace_only_the_generic_fallback(rules: ReplyRules) -> None:
    assert compose(user("I like turtles"), rules=rules) == "I'm a test double; here is a canned answer."
    assert "84" in compose(user("what is 12 * 7"), rules=rules)


def test_json_rules_file_and_code_built_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"contains": "ping", "reply": "pong"}]}), encoding="utf-8")
    assert compose(user("ping"), rules=load_rules(path)) == "pong"
    built = ReplyRules(rules=(ReplyRule(replies=("hi there",), contains=("hey",)),))
    assert compose(user("hey you"), rules=built) == "hi there"


@pytest.mark.parametrize("text, message", [
    ("rules:\n  - contains: a\n    reply: b\n    colour: red\n", "rule 1: unknown key 'colour'"),
    ("rules:\n  - reply: b\n", "rule 1: has no matcher"),
    ("rules:\n  - contains: a\n    reply: b\n  - contains: a\n", "rule 2: needs exactly one of 'reply' or 'replies'"),
    ("rules:\n  - contains: a\n    reply: b\n    replies: [c]\n", "rule 1: needs exactly one of"),
    ("rules:\n  - contains: a\n    reply: b\n  - contains: a\n    reply: b\n  - regex: '(unclosed'\n    reply: x\n",
     "rule 3: bad regex '(unclosed'"),
    ("rules:\n  - contains: 5\n    reply: b\n", "rule 1: 'contains' must be"),
    ("rules:\n  - contains: a\n    replies: []\n", "rule 1: 'reply' must be"),
    ("rules:\n  - regex: 5\n    reply: b\n", "rule 1: 'regex' must be a string"),
    ("rules:\n  - just a string\n", "rule 1: expected a mapping"),
    ("rules: {}\n", "'rules' must be a list"),
    ("- a\n- b\n", "expected a mapping"),
    ("rule:\n  - contains: a\n", "unknown key 'rule'"),
    ("", "the file is empty"),
    ("rules: [\n", "invalid YAML"),
    ("default_replies: [1, 2]\n", "'default_replies' must be"),
])
def test_invalid_rules_files_are_rejected_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        load_rules(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read file"):
        load_rules(tmp_path / "absent.yaml")


def test_invalid_json_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json: invalid JSON"):
        load_rules(path)


def test_public_api_is_typed() -> None:
    for function in (compose, load_rules):
        signature = inspect.signature(function)
        assert signature.return_annotation is not inspect.Signature.empty
        assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())
    assert list(inspect.signature(compose).parameters) == ["messages", "seed", "rules", "variant"]
