"""/v1/fine_tuning/alpha/graders: validate and run graders through the official SDK."""
from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

EXACT = {"type": "string_check", "name": "exact", "input": "{{ sample.output_text }}", "reference": "{{item.answer}}",
         "operation": "eq"}


def run(client: openai.OpenAI, grader: dict[str, Any], sample: str, item: dict[str, Any] | None = None) -> Any:
    return client.fine_tuning.alpha.graders.run(grader=grader, model_sample=sample,  # type: ignore[arg-type]
                                                item=item or {})


@pytest.mark.parametrize("operation,sample,reward", [("eq", "Paris", 1.0), ("eq", "paris", 0.0), ("ne", "Lyon", 1.0),
                                                      ("like", "It is Paris.", 1.0), ("ilike", "PARIS!", 1.0)])
def test_string_check_compares_the_rendered_templates(client: openai.OpenAI, operation: str, sample: str,
                                                      reward: float) -> None:
    result = run(client, {**EXACT, "operation": operation}, sample, {"answer": "Paris"})
    assert result.reward == reward
    assert result.metadata.name == "exact" and result.metadata.type == "string_check"
    assert not result.metadata.errors.formula_parse_error and result.metadata.scores == {"exact": reward}


def test_output_json_is_a_namespace(client: openai.OpenAI) -> None:
    grader = {**EXACT, "input": "{{sample.output_json.city}}"}
    assert run(client, grader, '{"city": "Paris"}', {"answer": "Paris"}).reward == 1.0


@pytest.mark.parametrize("metric", ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_l", "cosine"])
def test_text_similarity_scores_identical_text_highest(client: openai.OpenAI, metric: str) -> None:
    grader = {"type": "text_similarity", "name": "similar", "input": "{{sample.output_text}}",
              "reference": "the cat sat on the mat", "evaluation_metric": metric}
    same = run(client, grader, "the cat sat on the mat").reward
    near = run(client, grader, "the cat sat on a mat").reward
    other = run(client, grader, "quantum chromodynamics").reward
    assert same == pytest.approx(1.0) and other < near < same


def test_multi_combines_scores_with_its_formula(client: openai.OpenAI) -> None:
    fuzzy = {"type": "text_similarity", "name": "fuzzy", "input": "{{sample.output_text}}", "reference": "Paris",
             "evaluation_metric": "fuzzy_match"}
    grader = {"type": "multi", "name": "both", "graders": {"exact": EXACT, "fuzzy": fuzzy},
              "calculate_output": "0.5 * exact + 0.5 * fuzzy"}
    result = run(client, grader, "Paris", {"answer": "Paris"})
    assert result.reward == 1.0 and result.sub_rewards == {"exact": 1.0, "fuzzy": 1.0}
    broken = run(client, {**grader, "calculate_output": "exact +"}, "Paris", {"answer": "Paris"})
    assert broken.reward == 0.0 and broken.metadata.errors.formula_parse_error
    unknown = run(client, {**grader, "calculate_output": "nope * 2"}, "Paris", {"answer": "Paris"})
    assert unknown.metadata.errors.invalid_variable_error
    assert run(client, {**grader, "calculate_output": "__import__('os')"}, "x").metadata.errors.formula_parse_error


def test_a_score_model_scores_in_its_range_the_same_each_time(client: openai.OpenAI) -> None:
    grader = {"type": "score_model", "name": "judge", "model": "gpt-4o-mini", "range": [1, 7],
              "input": [{"role": "user", "content": "Rate this answer: {{sample.output_text}}"}]}
    first = run(client, grader, "Paris is the capital of France.")
    assert 1 <= first.reward <= 7 and run(client, grader, "Paris is the capital of France.").reward == first.reward
    assert first.api_model_grader_token_usage_per_model["gpt-4o-mini"]["prompt_tokens"] > 0  # type: ignore[index]


def test_validate_answers_the_grader(client: openai.OpenAI) -> None:
    assert client.fine_tuning.alpha.graders.validate(grader=EXACT).grader.name == "exact"  # type: ignore[arg-type,union-attr]


@pytest.mark.parametrize("path,body,param", [
    ("validate", {"grader": {**EXACT, "operation": "regex"}}, "grader.operation"),
    ("validate", {"grader": {"type": "string_check", "name": "x"}}, "grader.input"),
    ("validate", {"grader": {"type": "multi", "name": "m", "calculate_output": "a",
                             "graders": {"a": {"type": "multi"}}}}, "grader.graders.a.type"),
    ("run", {"grader": EXACT}, "model_sample"),
    ("run", {"grader": {"type": "python", "name": "p", "source": "def grade(s, i): return 1"},
             "model_sample": "x"}, "grader.type"),
])
def test_bad_graders_are_400s(http: httpx.Client, path: str, body: dict[str, Any], param: str) -> None:
    answer = http.post(f"/v1/fine_tuning/alpha/graders/{path}", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param
