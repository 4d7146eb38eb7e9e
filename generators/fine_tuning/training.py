"""What a synthetic fine-tuning run produces: hyperparameters resolved from `auto`, step metrics, names.

Everything is drawn from the job's `seed`, so the same job gives the same curve, checkpoints and results file.
"""
from __future__ import annotations

import math
import random
import secrets
import string
import time
from dataclasses import dataclass
from typing import Any

_BASE62 = string.ascii_letters + string.digits

# The cookbook's "chat_finetuning_data_prep" rule for `n_epochs: auto`: aim for 3 passes over the data, but at
# least 100 and at most 25,000 examples seen, within 1-25 epochs.
TARGET_EPOCHS, MIN_EXAMPLES, MAX_EXAMPLES, MIN_EPOCHS, MAX_EPOCHS = 3, 100, 25_000, 1, 25
MOST_METRIC_EVENTS = 100  # a long job reports every k-th step, so its events stay a readable list


def auto_epochs(examples: int) -> int:
    if examples * TARGET_EPOCHS < MIN_EXAMPLES:
        return min(MAX_EPOCHS, MIN_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_EXAMPLES:
        return max(MIN_EPOCHS, MAX_EXAMPLES // examples)
    return TARGET_EPOCHS


def resolved(method: str, asked: dict[str, Any], examples: int) -> dict[str, Any]:
    """The method's hyperparameters with every `auto` (or absent) value replaced by the one the run uses."""
    defaults: dict[str, Any] = {"batch_size": max(1, min(256, round(examples * 0.002))),
                                "learning_rate_multiplier": 1.8 if method == "supervised" else 1.0,
                                "n_epochs": auto_epochs(examples)}
    if method == "dpo":
        defaults["beta"] = 0.1
    if method == "reinforcement":
        defaults.update(compute_multiplier=1.0, eval_interval=1, eval_samples=1, reasoning_effort="medium")
    shown = {name: value for name, value in asked.items() if value not in (None, "auto", "default")}
    return {**defaults, **shown}


def total_steps(examples: int, hyperparameters: dict[str, Any]) -> int:
    return math.ceil(examples / hyperparameters["batch_size"]) * hyperparameters["n_epochs"]


@dataclass(frozen=True)
class Step:
    number: int
    train_loss: float
    train_accuracy: float
    valid_loss: float | None
    valid_accuracy: float | None


def curve(seed: int, steps: int, validated: bool) -> list[Step]:
    """A falling loss and a rising token accuracy with a little noise, the same for the same seed."""
    draws = random.Random(seed)
    start = draws.uniform(1.5, 3.0)
    rows = []
    for number in range(1, steps + 1):
        progress = number / steps
        loss = max(0.0, start * math.exp(-3 * progress) + draws.uniform(-0.05, 0.05))
        accuracy = min(1.0, 0.45 + 0.5 * progress + draws.uniform(-0.03, 0.03))
        valid = (round(loss * 1.1, 5), round(accuracy * 0.95, 5)) if validated else (None, None)
        rows.append(Step(number, round(loss, 5), round(accuracy, 5), *valid))
    return rows


def reported(steps: list[Step]) -> list[Step]:
    """The steps that get a metrics event: all of a short job's, every k-th (and the last) of a long one's."""
    every = max(1, math.ceil(len(steps) / MOST_METRIC_EVENTS))
    return [s for s in steps if s.number % every == 0 or s.number == len(steps)]


def results_csv(steps: list[Step]) -> bytes:
    """The job's `step_metrics.csv` (its `result_files`), in the columns the API writes."""
    lines = ["step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy"]
    for s in steps:
        lines.append(f"{s.number},{s.train_loss},{s.train_accuracy},{_cell(s.valid_loss)},{_cell(s.valid_accuracy)}")
    return ("\n".join(lines) + "\n").encode()


def _cell(value: float | None) -> str:
    return "" if value is None else str(value)


def checkpoint_steps(examples: int, hyperparameters: dict[str, Any]) -> list[int]:
    """Steps that end an epoch before the last, for the last three epochs: the API keeps those checkpoints, the
    last epoch being the fine-tuned model itself."""
    per_epoch = math.ceil(examples / hyperparameters["batch_size"])
    epochs = hyperparameters["n_epochs"]
    return [per_epoch * epoch for epoch in range(max(1, epochs - 2), epochs)]


def model_name(base: str, organization: str, suffix: str | None) -> str:
    """`ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:7p4lURel`: an empty suffix leaves `::`."""
    tail = "".join(secrets.choice(_BASE62) for _ in range(8))
    return f"ft:{base}:{organization}:{suffix or ''}:{tail}"


def object_id(prefix: str) -> str:
    """`ftjob-`, `ftevent-`, `ftckpt_` and 24 base62 characters, as the API's fine-tuning ids are."""
    return prefix + "".join(secrets.choice(_BASE62) for _ in range(24))


def step_data(step: Step, total: int) -> dict[str, Any]:
    """The `data` of a step's metrics event."""
    data: dict[str, Any] = {"step": step.number, "train_loss": step.train_loss,
                            "train_mean_token_accuracy": step.train_accuracy, "total_steps": total}
    if step.valid_loss is not None:
        data.update(valid_loss=step.valid_loss, valid_mean_token_accuracy=step.valid_accuracy)
    return data


def event(message: str, level: str = "info", kind: str = "message", data: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    return {"object": "fine_tuning.job.event", "id": object_id("ftevent-"), "created_at": int(time.time()),
            "level": level, "message": message, "data": data, "type": kind}


def checkpoint(job_id: str, step: Step, name: str) -> dict[str, Any]:
    """A `fine_tuning.job.checkpoint` with the step's metrics (the full validation ones when validated)."""
    metrics = {"step": step.number, "train_loss": step.train_loss, "train_mean_token_accuracy": step.train_accuracy,
               "valid_loss": step.valid_loss, "valid_mean_token_accuracy": step.valid_accuracy,
               "full_valid_loss": step.valid_loss, "full_valid_mean_token_accuracy": step.valid_accuracy}
    return {"object": "fine_tuning.job.checkpoint", "id": object_id("ftckpt_"), "created_at": int(time.time()),
            "fine_tuned_model_checkpoint": name, "fine_tuning_job_id": job_id, "metrics": metrics,
            "step_number": step.number}
