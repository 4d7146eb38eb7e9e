"""Running a grader on one model sample, as `POST /v1/fine_tuning/alpha/graders/run` answers.

`string_check` and `text_similarity` compute their real scores; `score_model` and `label_model` graders give
a score (or label) drawn from their rendered input and the sample, so the same call scores the same;
`multi` combines its graders' scores with its `calculate_output` formula (arithmetic and min, max, abs,
floor, ceil, sqrt, exp, log, evaluated without `eval`). `python` graders are never run: running code sent
by a client is not something a mock server does.
"""
from __future__ import annotations

import ast
import hashlib
import math
import operator
import time
from typing import Any, Callable

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.graders import similarity
from dummy_openai_api.generators.graders.templates import namespaces, render

ERROR_FLAGS = ("formula_parse_error", "invalid_variable_error", "model_grader_parse_error",
               "model_grader_refusal_error", "model_grader_server_error", "other_error",
               "python_grader_runtime_error", "python_grader_server_error", "sample_parse_error",
               "truncated_observation_error", "unresponsive_reward_error")
_OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min, "max": max, "abs": abs, "floor": math.floor, "ceil": math.ceil, "sqrt": math.sqrt,
    "exp": math.exp, "log": math.log}


class NotRun(Exception):
    """A grader this server does not run (python)."""


def run(grader: dict[str, Any], model_sample: str, item: Any) -> dict[str, Any]:
    started = time.perf_counter()
    values = namespaces(model_sample, item)
    usage: dict[str, Any] = {}
    errors = dict.fromkeys(ERROR_FLAGS, False)
    subs: dict[str, float] = {}
    if grader["type"] == "multi":
        subs = {name: _score(sub, values, usage) for name, sub in _graders(grader).items()}
        reward = _formula(grader["calculate_output"], subs, errors)
    else:
        reward = _score(grader, values, usage)
    scores: dict[str, Any] = dict(subs) if subs else {grader["name"]: reward}
    metadata = {"errors": {**errors, "model_grader_server_error_details": None,
                           "python_grader_runtime_error_details": None, "python_grader_server_error_type": None},
                "execution_time": round(time.perf_counter() - started, 6), "name": grader["name"],
                "sampled_model_name": None, "scores": scores, "token_usage": None, "type": grader["type"]}
    return {"metadata": metadata, "model_grader_token_usage_per_model": usage, "reward": reward,
            "sub_rewards": subs}


def _graders(grader: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A multi grader's graders by name: an object of them, or one grader (as the SDK's type has it)."""
    graders = grader["graders"]
    return {graders["name"]: graders} if "type" in graders else graders


def _score(grader: dict[str, Any], values: dict[str, Any], usage: dict[str, Any]) -> float:
    kind = grader["type"]
    if kind == "python":
        raise NotRun("python graders are not run by this server: it does not execute code sent to it.")
    if kind == "string_check":
        return _string_check(render(grader["input"], values), render(grader["reference"], values),
                             grader["operation"])
    if kind == "text_similarity":
        return round(similarity.score(grader["evaluation_metric"], render(grader["input"], values),
                                      render(grader["reference"], values)), 6)
    prompt = _prompt(grader, values)
    _count(usage, grader["model"], prompt)
    draw = int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:8], "big") / 2**64
    if kind == "label_model":
        labels = grader.get("labels") or [""]
        return 1.0 if labels[int(draw * len(labels))] in (grader.get("passing_labels") or []) else 0.0
    low, high = (grader.get("range") or [0, 1])[:2]
    return round(low + draw * (high - low), 4)


def _string_check(text: str, reference: str, operation: str) -> float:
    if operation == "eq":
        return float(text == reference)
    if operation == "ne":
        return float(text != reference)
    if operation == "like":
        return float(reference in text)
    return float(reference.lower() in text.lower())  # ilike


def _prompt(grader: dict[str, Any], values: dict[str, Any]) -> str:
    """A model grader's messages with their templates filled, as one text."""
    parts = []
    for message in grader.get("input") or []:
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else [content]:
            text = part if isinstance(part, str) else (part or {}).get("text") if isinstance(part, dict) else None
            if isinstance(text, str):
                parts.append(render(text, values))
    return "\n".join(parts)


def _count(usage: dict[str, Any], model: str, prompt: str) -> None:
    counted = usage.setdefault(model, {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0,
                                       "cached_tokens": 0})
    spent = tokens.count(prompt, model) + 3
    counted["prompt_tokens"] += spent
    counted["completion_tokens"] += 1
    counted["total_tokens"] += spent + 1


def _formula(formula: str, scores: dict[str, float], errors: dict[str, bool]) -> float:
    try:
        return float(_evaluate(ast.parse(formula, mode="eval").body, scores))
    except KeyError:
        errors["invalid_variable_error"] = True
    except (SyntaxError, ValueError, TypeError, ArithmeticError, RecursionError):
        errors["formula_parse_error"] = True
    return 0.0


def _evaluate(node: ast.AST, scores: dict[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Name):
        return scores[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left, scores), _evaluate(node.right, scores))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand, scores))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
            and not node.keywords and node.args):
        return _FUNCTIONS[node.func.id](*(_evaluate(arg, scores) for arg in node.args))
    raise ValueError("not a formula")
