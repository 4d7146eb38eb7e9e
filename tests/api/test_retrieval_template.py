"""LlamaIndex's question-answering template through the SDK: the answer quotes the passage the question is
about, even with no word in common, and never the system message's own instructions."""
from __future__ import annotations

import openai
import pytest

# LlamaIndex's default chat prompts (llama_index/core/prompts/chat_prompts.py), as its query engine sends them.
SYSTEM = ("You are an expert Q&A system that is trusted around the world.\nAlways answer the query using the "
          "provided context information, and not prior knowledge.\nSome rules to follow:\n1. Never directly "
          "reference the given context in your answer.\n2. Avoid statements like 'Based on the context, ...' or "
          "'The context information ...' or anything along those lines.")
PASSAGES = ["Mount Kilimanjaro in Tanzania is the highest mountain in Africa, rising to 5,895 metres.",
            "The Eiffel Tower in Paris was completed in 1889 and stands 330 metres tall.",
            "Eliud Kipchoge ran a marathon in 1:59:40 in Vienna in October 2019."]


def user(question: str) -> str:
    context = "\n\n".join(PASSAGES)
    return (f"Context information is below.\n---------------------\n{context}\n---------------------\n"
            f"Given the context information and not prior knowledge, answer the query.\nQuery: {question}\nAnswer: ")


@pytest.mark.parametrize(("question", "passage"), [
    ("How high is the tallest peak on the African continent?", 0),
    ("When was the Eiffel Tower completed?", 1),
    ("How fast did someone run 42 kilometres?", 2),
])
def test_answer_quotes_the_passage_asked_about(client: openai.OpenAI, question: str, passage: int) -> None:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "system", "content": SYSTEM}, {"role": "user", "content": user(question)}])
    answer = reply.choices[0].message.content or ""
    assert PASSAGES[passage] in answer
    assert "expert Q&A" not in answer
