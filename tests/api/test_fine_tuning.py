"""/v1/fine_tuning/jobs through the official SDK: the status sequence, events, checkpoints, results, the model."""
from __future__ import annotations

import json
import time
from typing import Any

import httpx
import openai
import pytest

from tests.conftest import sdk_client


@pytest.fixture(autouse=True)
def clean(admin: httpx.Client) -> None:
    """Every test starts with no files, jobs or fine-tuned models."""


def chat_example(n: int) -> dict[str, Any]:
    return {"messages": [{"role": "system", "content": "You answer in one word."},
                         {"role": "user", "content": f"Question {n}?"}, {"role": "assistant", "content": f"A{n}"}]}


def dpo_example(n: int) -> dict[str, Any]:
    return {"input": {"messages": [{"role": "user", "content": f"Greet person {n}"}]},
            "preferred_output": [{"role": "assistant", "content": "Hello!"}],
            "non_preferred_output": [{"role": "assistant", "content": "Go away."}]}


def upload(client: openai.OpenAI, examples: list[Any], purpose: str = "fine-tune") -> str:
    text = "\n".join(e if isinstance(e, str) else json.dumps(e) for e in examples) + "\n"
    return client.files.create(file=("train.jsonl", text.encode()), purpose=purpose).id  # type: ignore[arg-type]


def train(client: openai.OpenAI, examples: list[Any] | None = None, **create: Any) -> openai.types.fine_tuning.FineTuningJob:
    training_file = upload(client, examples or [chat_example(n) for n in range(12)])
    created = client.fine_tuning.jobs.create(model=create.pop("model", "gpt-4o-mini"), training_file=training_file,
                                             **create)
    assert created.status == "validating_files" and created.fine_tuned_model is None
    return client.fine_tuning.jobs.retrieve(created.id)


def test_a_supervised_job_succeeds_with_a_named_model_and_results(client: openai.OpenAI) -> None:
    job = train(client, suffix="support-bot", seed=7, metadata={"team": "support"},
                integrations=[{"type": "wandb", "wandb": {"project": "tuning"}}])
    assert job.status == "succeeded" and job.error is None and job.finished_at
    assert job.model == "gpt-4o-mini-2024-07-18" and job.organization_id.startswith("org-")
    prefix = "ft:gpt-4o-mini-2024-07-18:dummy-org:support-bot:"
    assert job.fine_tuned_model and job.fine_tuned_model.startswith(prefix)
    assert len(job.fine_tuned_model.removeprefix(prefix)) == 8
    assert job.seed == 7 and job.metadata == {"team": "support"} and job.integrations[0].wandb.project == "tuning"
    assert job.hyperparameters.n_epochs == 8  # `auto`: the cookbook's rule, 100 examples seen for 12 lines
    assert job.method and job.method.supervised and job.method.supervised.hyperparameters
    assert job.method.supervised.hyperparameters.n_epochs == 8
    assert job.trained_tokens and job.trained_tokens % 8 == 0
    (results,) = job.result_files
    assert client.files.retrieve(results).purpose == "fine-tune-results"
    rows = client.files.content(results).text.splitlines()
    assert rows[0].startswith("step,train_loss,train_accuracy") and len(rows) == 1 + 12 * 8


def test_events_tell_the_story_newest_first(client: openai.OpenAI) -> None:
    job = train(client)
    events = list(client.fine_tuning.jobs.list_events(job.id, limit=100))
    messages = [e.message for e in events]
    assert messages[0] == "The job has successfully completed"
    assert messages[-1] == f"Created fine-tuning job: {job.id}"
    assert f"Validating training file: {job.training_file}" in messages
    assert "Files validated, moving job to queued state" in messages and "New fine-tuned model created" in messages
    metrics = [e for e in events if e.type == "metrics"]
    assert len(metrics) == 96 and metrics[0].data["step"] == 96 and metrics[0].data["total_steps"] == 96
    first = client.fine_tuning.jobs.list_events(job.id)
    assert len(first.data) == 20 and first.has_more  # the API's default page
    page = client.fine_tuning.jobs.list_events(job.id, limit=2)
    assert [e.id for e in page.data] == [e.id for e in events[:2]] and page.has_more


def test_checkpoints_end_the_epochs_before_the_last(client: openai.OpenAI) -> None:
    job = train(client, method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 3}}})
    checkpoints = list(client.fine_tuning.jobs.checkpoints.list(job.id))
    assert [c.step_number for c in checkpoints] == [24, 12]  # 12 steps an epoch at batch size 1, newest first
    assert all(c.fine_tuned_model_checkpoint == f"{job.fine_tuned_model}:ckpt-step-{c.step_number}"
               for c in checkpoints)
    assert checkpoints[0].fine_tuning_job_id == job.id and checkpoints[0].metrics.train_loss is not None


def test_the_model_is_listed_answers_like_its_base_and_can_be_deleted(client: openai.OpenAI) -> None:
    model = train(client).fine_tuned_model
    assert model
    listed = {m.id: m for m in client.models.list()}
    assert listed[model].owned_by.startswith("org-")
    assert client.models.retrieve(model).id == model
    chat = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}])
    assert chat.model == model and chat.usage and chat.usage.prompt_tokens == 8  # o200k_base, as gpt-4o-mini
    assert client.responses.create(model=model, input="Hi").model == model
    deleted = client.models.delete(model)
    assert (deleted.id, deleted.object, deleted.deleted) == (model, "model", True)
    with pytest.raises(openai.NotFoundError) as gone:
        client.models.retrieve(model)
    assert gone.value.code == "model_not_found"
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}])


def test_a_base_or_unknown_model_cannot_be_deleted(client: openai.OpenAI) -> None:
    with pytest.raises(openai.PermissionDeniedError):
        client.models.delete("gpt-4o-mini")
    with pytest.raises(openai.NotFoundError) as unknown:
        client.models.delete("ft:gpt-4o-mini-2024-07-18:dummy-org::nothere1")
    assert unknown.value.code == "model_not_found"


def test_reset_forgets_jobs_and_their_models(client: openai.OpenAI, admin: httpx.Client) -> None:
    job = train(client)
    admin.post("/_mock/reset").raise_for_status()
    assert job.fine_tuned_model not in {m.id for m in client.models.list()}
    with pytest.raises(openai.NotFoundError):
        client.fine_tuning.jobs.retrieve(job.id)


def test_a_fine_tune_can_be_trained_further(client: openai.OpenAI) -> None:
    first = train(client, suffix="one").fine_tuned_model
    second = train(client, model=first, suffix="two")
    assert second.model == first and second.fine_tuned_model
    assert second.fine_tuned_model.startswith("ft:gpt-4o-mini-2024-07-18:dummy-org:two:")


def test_dpo_and_reinforcement_read_their_own_formats(client: openai.OpenAI) -> None:
    dpo = train(client, [dpo_example(n) for n in range(10)], model="gpt-4.1-mini",
                method={"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.2}}})
    assert dpo.status == "succeeded" and dpo.method and dpo.method.dpo and dpo.method.dpo.hyperparameters
    assert dpo.method.dpo.hyperparameters.beta == 0.2 and dpo.hyperparameters.n_epochs is None
    grader = {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}",
              "reference": "{{item.answer}}", "operation": "eq"}
    examples = [{"messages": [{"role": "user", "content": f"{n}+{n}?"}], "answer": str(2 * n)} for n in range(10)]
    rft = train(client, examples, model="o4-mini", method={"type": "reinforcement", "reinforcement": {"grader": grader}})
    assert rft.status == "succeeded" and rft.model == "o4-mini-2025-04-16"
    chat_lines_for_dpo = train(client, [chat_example(n) for n in range(10)], method={"type": "dpo"})
    assert chat_lines_for_dpo.status == "failed" and chat_lines_for_dpo.error
    assert chat_lines_for_dpo.error.param == "training_file" and 'missing key "input"' in chat_lines_for_dpo.error.message


@pytest.mark.parametrize("examples,problem", [
    ([chat_example(n) for n in range(3)], "Training file has 3 example(s), but must have at least 10 examples"),
    ([chat_example(n) for n in range(11)] + ["{not json"], "Line 12 is not valid JSON"),
    ([chat_example(n) for n in range(11)] + [{"messages": [{"role": "user", "content": "no answer"}]}],
     "Example 12: at least one message must be from the assistant"),
    ([chat_example(n) for n in range(11)] + [{"messages": [{"role": "bot", "content": "x"}]}],
     "unrecognized role: 'bot'"),
])
def test_bad_training_data_fails_the_job(client: openai.OpenAI, examples: list[Any], problem: str) -> None:
    job = train(client, examples)
    assert job.status == "failed" and job.fine_tuned_model is None and job.error
    assert job.error.code == "invalid_training_file" and job.error.param == "training_file"
    assert problem in job.error.message
    events = client.fine_tuning.jobs.list_events(job.id).data
    assert events[0].level == "error" and problem in events[0].message


def test_a_bad_validation_file_names_itself(client: openai.OpenAI) -> None:
    validation = upload(client, ["[1, 2]"])
    job = train(client, validation_file=validation)
    assert job.status == "failed" and job.error and job.error.param == "validation_file"
    assert job.error.code == "invalid_validation_file"


def post_job(http: httpx.Client, **body: Any) -> httpx.Response:
    return http.post("/v1/fine_tuning/jobs", json={"model": "gpt-4o-mini", "training_file": "file-x", **body})


@pytest.mark.parametrize("body,status,param,words", [
    ({"model": "gpt-4o-mini-tts"}, 400, "model", "is not available for fine-tuning or does not exist"),
    ({"model": "ft:gpt-4o-mini-2024-07-18:dummy-org::unknown1"}, 400, "model", "not available for fine-tuning"),
    ({}, 400, "training_file", "invalid training_file: file-x"),
    ({"suffix": "s" * 65}, 400, "suffix", "string too long"),
    ({"seed": -1}, 400, "seed", "below minimum value"),
    ({"method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 51}}}}, 400,
     "method.supervised.hyperparameters.n_epochs", "above maximum value"),
    ({"method": {"type": "unsupervised"}}, 400, "method.type", "Invalid value: 'unsupervised'"),
    ({"method": {"type": "reinforcement", "reinforcement": {}}}, 400, "method.reinforcement.grader",
     "Missing required parameter"),
    ({"method": {"type": "dpo"}, "model": "gpt-3.5-turbo"}, 400, "method.type", "not supported"),
    ({"integrations": [{"type": "slack"}]}, 400, "integrations[0].type", "Invalid value: 'slack'"),
    ({"metadata": {"k": 1}}, 400, "metadata.k", "expected a string"),
])
def test_create_is_refused_at_once_as_the_api_does(http: httpx.Client, body: dict, status: int, param: str,
                                                   words: str) -> None:
    answer = post_job(http, **body)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["param"] == param and words in error["message"] and error["type"] == "invalid_request_error"


def test_a_file_of_another_purpose_is_refused(client: openai.OpenAI, http: httpx.Client) -> None:
    batch_file = upload(client, [chat_example(0)], purpose="batch")
    answer = post_job(http, training_file=batch_file)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "training_file"


def test_list_pages_newest_first_and_filters_by_metadata(client: openai.OpenAI) -> None:
    jobs = [train(client, metadata={"run": str(n % 2)}) for n in range(3)]
    page = client.fine_tuning.jobs.list(limit=2)
    assert [j.id for j in page.data] == [jobs[2].id, jobs[1].id] and page.has_more
    after = client.fine_tuning.jobs.list(after=jobs[1].id)
    assert [j.id for j in after.data] == [jobs[0].id]
    assert [j.id for j in client.fine_tuning.jobs.list(metadata={"run": "0"})] == [jobs[2].id, jobs[0].id]


def test_unknown_job_is_404(client: openai.OpenAI) -> None:
    for call in (client.fine_tuning.jobs.retrieve, client.fine_tuning.jobs.cancel, client.fine_tuning.jobs.list_events):
        with pytest.raises(openai.NotFoundError):
            call("ftjob-nothere")


def test_a_finished_job_cannot_be_cancelled_or_paused(client: openai.OpenAI) -> None:
    job = train(client)
    for call in (client.fine_tuning.jobs.cancel, client.fine_tuning.jobs.pause, client.fine_tuning.jobs.resume):
        with pytest.raises(openai.BadRequestError):
            call(job.id)


def poll(client: openai.OpenAI, job_id: str, wanted: str) -> openai.types.fine_tuning.FineTuningJob:
    """The job once it has the status, or the job as it is after 60 s (a bound against a hung run)."""
    deadline = time.monotonic() + 60
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if job.status == wanted or time.monotonic() > deadline:
            return job
        time.sleep(0.02)


def test_a_paced_job_walks_the_statuses_and_can_be_paused_resumed_and_cancelled(make_server) -> None:
    server = make_server(fine_tuning_seconds=9)  # 1.5 s queued, 6 s running: each phase outlasts a busy machine's poll
    with sdk_client(server, _strict_response_validation=False) as client:  # "paused" is not in the SDK's Literal
        job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=upload(client, [
            chat_example(n) for n in range(12)]))
        seen = {poll(client, job.id, status).status for status in ("queued", "running")}
        assert seen == {"queued", "running"}
        assert client.fine_tuning.jobs.pause(job.id).status == "paused"
        assert client.fine_tuning.jobs.retrieve(job.id).status == "paused"
        assert client.fine_tuning.jobs.resume(job.id).status == "running"
        cancelled = client.fine_tuning.jobs.cancel(job.id)
        assert cancelled.status == "cancelled" and cancelled.fine_tuned_model is None
        events = [e.message for e in client.fine_tuning.jobs.list_events(job.id, limit=100)]
        assert events[0] == "Fine-tuning job cancelled" and "Fine-tuning job paused" in events
        finished = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=job.training_file)
        done = poll(client, finished.id, "succeeded")
        assert done.status == "succeeded" and done.fine_tuned_model


def test_checkpoint_permissions_are_granted_listed_and_revoked(client: openai.OpenAI) -> None:
    job = train(client)
    model = job.fine_tuned_model
    assert model
    permissions = client.fine_tuning.checkpoints.permissions
    granted = permissions.create(model, project_ids=["proj_one", "proj_two"])
    assert [p.project_id for p in granted] == ["proj_one", "proj_two"]
    assert all(p.object == "checkpoint.permission" and p.id.startswith("cp_") for p in granted)
    again = permissions.create(model, project_ids=["proj_one"])
    assert [p.id for p in again] == [granted.data[0].id]  # a project is permitted once
    listed = permissions.list(model)
    assert [p.project_id for p in listed.data] == ["proj_two", "proj_one"] and not listed.has_more  # newest first
    first = permissions.list(model, order="ascending", limit=1)
    assert [p.project_id for p in first.data] == ["proj_one"] and first.has_more
    assert [p.project_id for p in permissions.list(model, order="ascending", limit=1)] == ["proj_one", "proj_two"]
    assert [p.project_id for p in permissions.list(model, project_id="proj_two").data] == ["proj_two"]
    deleted = permissions.delete(granted.data[0].id, fine_tuned_model_checkpoint=model)
    assert (deleted.id, deleted.deleted, deleted.object) == (granted.data[0].id, True, "checkpoint.permission")
    assert [p.project_id for p in permissions.list(model).data] == ["proj_two"]
    checkpoint = next(iter(client.fine_tuning.jobs.checkpoints.list(job.id))).fine_tuned_model_checkpoint
    assert permissions.create(checkpoint, project_ids=["proj_one"]).data[0].project_id == "proj_one"


def test_permissions_need_a_known_checkpoint_and_projects(client: openai.OpenAI, http: httpx.Client) -> None:
    with pytest.raises(openai.NotFoundError):
        client.fine_tuning.checkpoints.permissions.create("ft:gpt-4o-mini-2024-07-18:org:x:nothere1",
                                                          project_ids=["proj_one"])
    model = train(client).fine_tuned_model
    answer = http.post(f"/v1/fine_tuning/checkpoints/{model}/permissions", json={"project_ids": []})
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "project_ids"
    with pytest.raises(openai.NotFoundError):
        client.fine_tuning.checkpoints.permissions.delete("cp_nothere", fine_tuned_model_checkpoint=model or "")


def test_a_checkpoint_answers_chat_but_is_not_listed(client: openai.OpenAI) -> None:
    job = train(client)
    checkpoint = next(iter(client.fine_tuning.jobs.checkpoints.list(job.id))).fine_tuned_model_checkpoint
    answer = client.chat.completions.create(model=checkpoint, messages=[{"role": "user", "content": "Hi"}])
    assert answer.model == checkpoint
    assert checkpoint not in {m.id for m in client.models.list()}


def test_a_completion_model_trains_on_prompt_completion_lines(client: openai.OpenAI) -> None:
    lines = [{"prompt": f"Q{n} ->", "completion": f" A{n}"} for n in range(10)]
    job = train(client, lines, model="davinci-002")
    assert job.status == "succeeded" and job.fine_tuned_model
    assert job.fine_tuned_model.startswith("ft:davinci-002:dummy-org::")  # no suffix: the API leaves "::"
    answer = client.completions.create(model=job.fine_tuned_model, prompt="Say hi", max_tokens=5)
    assert answer.model == job.fine_tuned_model and answer.choices[0].text
    chat_lines = train(client, [chat_example(n) for n in range(10)], model="babbage-002")
    assert chat_lines.status == "failed" and chat_lines.error and '"prompt" must be a string' in chat_lines.error.message


def test_top_level_hyperparameters_and_a_validation_file(client: openai.OpenAI) -> None:
    validation = upload(client, [chat_example(n) for n in range(3)])
    job = train(client, hyperparameters={"n_epochs": 2, "batch_size": 4}, validation_file=validation)
    assert job.status == "succeeded" and job.validation_file == validation
    assert (job.hyperparameters.n_epochs, job.hyperparameters.batch_size) == (2, 4)
    assert job.method and job.method.type == "supervised" and job.method.supervised
    assert job.method.supervised.hyperparameters and job.method.supervised.hyperparameters.n_epochs == 2
    rows = client.files.content(job.result_files[0]).text.splitlines()
    assert len(rows) == 1 + 3 * 2 and all(row.split(",")[3] for row in rows[1:])  # ceil(12 / 4) steps an epoch
    metrics = [e for e in client.fine_tuning.jobs.list_events(job.id, limit=100) if e.type == "metrics"]
    assert "valid_loss" in metrics[0].data
