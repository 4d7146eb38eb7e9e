"""Fine-tuning jobs: the create body, the list query, and the training data as the API checks them.

The body is checked when the job is created (a 400, as the API answers at once); the files' contents are
checked while the job is `validating_files`, and a problem there makes the job `failed` with an `error` naming
the file, as the API reports it. Wording no real answer has shown us follows the API's own templates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.catalog.snapshots import served
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    bounded, empty_array, invalid_type, missing, one_of, page_args, required, stored, string_too_long, typed,
)

METHODS = ("supervised", "dpo", "reinforcement")
# The dated snapshots the API fine-tunes, and the methods each takes (the fine-tuning guide's model table).
FINE_TUNABLE: dict[str, tuple[str, ...]] = {
    "gpt-4.1-2025-04-14": ("supervised", "dpo"), "gpt-4.1-mini-2025-04-14": ("supervised", "dpo"),
    "gpt-4.1-nano-2025-04-14": ("supervised", "dpo"), "gpt-4o-2024-08-06": ("supervised", "dpo"),
    "gpt-4o-mini-2024-07-18": ("supervised", "dpo"), "gpt-3.5-turbo-0125": ("supervised",),
    "gpt-3.5-turbo-1106": ("supervised",), "gpt-3.5-turbo-0613": ("supervised",),
    "babbage-002": ("supervised",), "davinci-002": ("supervised",), "o4-mini-2025-04-16": ("reinforcement",),
}
PROMPT_COMPLETION = ("babbage-002", "davinci-002")  # trained on {"prompt", "completion"} lines, not chat
MIN_EXAMPLES = 10  # "To fine-tune a model, you are required to provide at least 10 examples"
# Examples whose tokens are counted; a larger file's count is extrapolated by bytes, so that a big file does
# not hold the event loop for the seconds tokenizing it all would take.
COUNTED_EXAMPLES = 2000
# (name, lowest, highest) of each hyperparameter that may also be "auto".
RANGES = {"batch_size": ("integer", 1, 256), "n_epochs": ("integer", 1, 50),
          "learning_rate_multiplier": ("number", 0.01, 10), "beta": ("number", 0.01, 2),
          "compute_multiplier": ("number", 0.00001, 10), "eval_interval": ("integer", 1, None),
          "eval_samples": ("integer", 1, None)}
GRADER_FIELDS = {"string_check": ("name", "input", "reference", "operation"),
                 "text_similarity": ("name", "input", "reference", "evaluation_metric"),
                 "python": ("name", "source"), "score_model": ("name", "model", "input"),
                 "multi": ("name", "graders", "calculate_output"),
                 "label_model": ("name", "model", "input", "labels", "passing_labels")}  # label_model: in multi only
GRADER_CHOICES = {"operation": ("eq", "ne", "like", "ilike"),
                  "evaluation_metric": ("cosine", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2",
                                        "rouge_3", "rouge_4", "rouge_5", "rouge_l")}
GRADER_TYPES = {"input": ("string", "array"), "reference": ("string",), "name": ("string",), "source": ("string",),
                "model": ("string",), "calculate_output": ("string",), "graders": ("object",),
                "labels": ("array",), "passing_labels": ("array",)}


def not_available(model: str) -> APIError:
    return APIError(400, f"Model {model} is not available for fine-tuning or does not exist.", param="model",
                    code="model_not_available")


def base_snapshot(model: str) -> str:
    """The snapshot a job trains: the alias's (`gpt-4o-mini` -> `gpt-4o-mini-2024-07-18`), a fine-tune's base."""
    if model.startswith("ft:"):
        return model.split(":")[1]
    return served(model)


def create_body(body: dict[str, Any]) -> dict[str, Any]:
    """The body, checked; `method` filled in from the deprecated top-level `hyperparameters` when absent."""
    required(body, "model", "string")
    required(body, "training_file", "string")
    typed(body, "validation_file", "string")
    suffix = typed(body, "suffix", "string")
    if suffix is not None and len(suffix) > 64:
        raise string_too_long("suffix", 64, len(suffix))
    bounded(body, "seed", "integer", 0, 2147483647)
    stored.metadata(body.get("metadata"))
    _integrations(body)
    top = hyperparameters(typed(body, "hyperparameters", "object") or {}, "hyperparameters")
    method = typed(body, "method", "object")
    if method is None:
        method = {"type": "supervised", "supervised": {"hyperparameters": top}}
    kind = required(method, "type", "string", param="method.type")
    one_of(method, "type", METHODS, param="method.type")
    settings = typed(method, kind, "object", param=f"method.{kind}") or {}
    hyperparameters(typed(settings, "hyperparameters", "object", param=f"method.{kind}.hyperparameters") or {},
                    f"method.{kind}.hyperparameters")
    if kind == "reinforcement":
        grader(settings.get("grader"), f"method.{kind}.grader")
    return {**body, "method": {"type": kind, kind: settings}}


def method_allowed(model: str, kind: str) -> None:
    """The base model must be fine-tunable, and by this method."""
    methods = FINE_TUNABLE.get(base_snapshot(model))
    if methods is None:
        raise not_available(model)
    if kind not in methods:
        raise APIError(400, f"Fine-tuning method '{kind}' is not supported for model {model}.",
                       param="method.type", code="invalid_value")


def hyperparameters(values: dict[str, Any], param: str) -> dict[str, Any]:
    for name, value in values.items():
        if value == "auto" or name not in RANGES:
            continue
        kind, lowest, highest = RANGES[name]
        bounded(values, name, kind, lowest, highest, param=f"{param}.{name}")
    return values


def grader(value: Any, param: str, inner: bool = False) -> dict[str, Any]:
    """A grader: its type's fields present and of their types; a multi grader's graders too (one level)."""
    if value is None:
        raise missing(param)
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    kind = required(value, "type", "string", param=f"{param}.type")
    kinds = tuple(k for k in GRADER_FIELDS if k != ("multi" if inner else "label_model"))
    one_of(value, "type", kinds, param=f"{param}.type")
    for name in GRADER_FIELDS[kind]:
        required(value, name, *GRADER_TYPES.get(name, ("string",)), param=f"{param}.{name}")
        if name in GRADER_CHOICES:
            one_of(value, name, GRADER_CHOICES[name], param=f"{param}.{name}")
    if kind == "multi":
        graders = value["graders"]
        if "type" in graders:
            grader(graders, f"{param}.graders", inner=True)
        for name, sub in ({} if "type" in graders else graders).items():
            grader(sub, f"{param}.graders.{name}", inner=True)
    return value


def grader_run_body(body: dict[str, Any]) -> tuple[dict[str, Any], str, Any]:
    """`grader`, `model_sample` (the answer to grade) and the optional dataset `item`."""
    checked = grader(body.get("grader"), "grader")
    return checked, required(body, "model_sample", "string"), typed(body, "item", "object")


def _integrations(body: dict[str, Any]) -> None:
    for n, item in enumerate(typed(body, "integrations", "array") or []):
        param = f"integrations[{n}]"
        if not isinstance(item, dict):
            raise invalid_type(param, item, "object")
        one_of({"type": required(item, "type", "string", param=f"{param}.type")}, "type", ("wandb",),
               param=f"{param}.type")
        wandb = required(item, "wandb", "object", param=f"{param}.wandb")
        required(wandb, "project", "string", param=f"{param}.wandb.project")


def list_query(query: str, default_limit: int = 20) -> dict[str, Any]:
    """`after`, `limit` (1-100; by default 20, 10 for checkpoints, as the API documents) and
    `metadata[key]=value`: jobs, events and checkpoints are listed newest first."""
    args = stored.list_query(query)
    if "limit" not in dict(parse_qsl(query)):
        args["limit"] = default_limit
    args["order"] = "desc"
    return args


def permission_body(body: dict[str, Any]) -> list[str]:
    projects = required(body, "project_ids", "array")
    if not projects:
        raise empty_array("project_ids")
    for n, project in enumerate(projects):
        if not isinstance(project, str):
            raise invalid_type(f"project_ids[{n}]", project, "string")
    return projects


def permission_query(query: str) -> dict[str, Any]:
    """`after`, `limit` (default 10), `order` (`ascending` or `descending`, the default) and `project_id`."""
    args = dict(parse_qsl(query, keep_blank_values=True))
    order = one_of({"order": args.pop("order", "descending")}, "order", ("ascending", "descending"))
    args = page_args(args, 10, 100, "asc" if order == "ascending" else "desc")
    return args


# The training data ---------------------------------------------------------------------------------------------

class InvalidFile(Exception):
    """A file the job cannot train on: the job fails with this message."""


@dataclass(frozen=True)
class Examples:
    count: int
    tokens: int  # tokens of one pass over the file


def examples(content: bytes, method: str, model: str, least: int = MIN_EXAMPLES) -> Examples:
    """Count the file's examples and tokens, or raise InvalidFile with what is wrong, by its example number."""
    lines = [t for t in content.decode("utf-8", "replace").splitlines() if t.strip()]
    check = _CHECKS["prompt" if base_snapshot(model) in PROMPT_COMPLETION else method]
    total = counted_bytes = 0
    for number, text in enumerate(lines, 1):
        try:
            example = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise InvalidFile(f"Invalid file format. Line {number} is not valid JSON.") from None
        if not isinstance(example, dict):
            raise InvalidFile(f"Invalid file format. Line {number} is not a JSON object.")
        problem = check(example)
        if problem:
            raise InvalidFile(f"Invalid file format. Example {number}: {problem}")
        if number <= COUNTED_EXAMPLES:
            total += tokens.count(text, model)
            counted_bytes += len(text)
    if len(lines) < least:
        raise InvalidFile(f"Training file has {len(lines)} example(s), but must have at least {least} examples")
    if len(lines) > COUNTED_EXAMPLES:
        total = round(total * sum(map(len, lines)) / max(counted_bytes, 1))
    return Examples(len(lines), total)


def _messages(messages: Any, key: str = "messages") -> str | None:
    if not isinstance(messages, list) or not messages:
        return f'"{key}" must be a non-empty list of messages'
    for n, message in enumerate(messages, 1):
        if not isinstance(message, dict) or "role" not in message:
            return f"message {n} has no role"
        if message["role"] not in ("system", "developer", "user", "assistant", "tool", "function"):
            return f"message {n} has an unrecognized role: {message['role']!r}"
        if message.get("content") is None and not (message.get("tool_calls") or message.get("function_call")):
            return f"message {n} has no content"
    return None


def _supervised(example: dict[str, Any]) -> str | None:
    if "messages" not in example:
        return 'missing key "messages"'
    problem = _messages(example["messages"])
    if problem is None and not any(m.get("role") == "assistant" for m in example["messages"]):
        problem = "at least one message must be from the assistant"
    return problem


def _dpo(example: dict[str, Any]) -> str | None:
    source = example.get("input")
    if not isinstance(source, dict):
        return 'missing key "input" (an object with "messages")'
    problem = _messages(source.get("messages"), "input.messages")
    for key in ("preferred_output", "non_preferred_output"):
        output = example.get(key)
        if problem is None and (not isinstance(output, list) or len(output) != 1
                                or not isinstance(output[0], dict) or output[0].get("role") != "assistant"):
            problem = f'"{key}" must be a list of one assistant message'
    return problem


def _reinforcement(example: dict[str, Any]) -> str | None:
    if "messages" not in example:
        return 'missing key "messages"'
    problem = _messages(example["messages"])
    if problem is None and example["messages"][-1].get("role") == "assistant":
        problem = "the last message must not be from the assistant: the model writes the answer"
    return problem


def _prompt(example: dict[str, Any]) -> str | None:
    for key in ("prompt", "completion"):
        if not isinstance(example.get(key), str):
            return f'"{key}" must be a string'
    return None


_CHECKS = {"supervised": _supervised, "dpo": _dpo, "reinforcement": _reinforcement, "prompt": _prompt}
