"""GET /v1/models and /v1/models/{id} through the SDK with strict validation."""
from __future__ import annotations

import typing

import httpx
import openai
import pytest
from openai.types import ChatModel, EmbeddingModel, ModerationModel

from dummy_openai_api.generators.catalog.models import COMPLETION, MODERATION
from dummy_openai_api.generators.catalog.retired import RETIRED

from tests.conftest import chat_body, embeddings_body


def test_list_holds_the_original_four_and_the_sdk_models(client) -> None:
    ids = {model.id for model in client.models.list()}
    assert {"gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "text-embedding-ada-002"} <= ids
    assert set(typing.get_args(ChatModel)) - RETIRED <= ids and not RETIRED & ids  # shut-down models: not listed
    assert set(typing.get_args(EmbeddingModel)) <= ids


def test_entries_have_the_real_shape(http) -> None:
    listing = http.get("/v1/models").json()
    assert listing["object"] == "list"
    for entry in listing["data"]:
        assert set(entry) == {"id", "object", "created", "owned_by"}
        assert entry["object"] == "model"
        assert isinstance(entry["created"], int) and entry["created"] > 1_600_000_000


def test_retrieve(client) -> None:
    model = client.models.retrieve("gpt-4o")
    assert (model.id, model.object, model.owned_by) == ("gpt-4o", "model", "system")


@pytest.mark.parametrize("model_id", ["ft:gpt-4o-mini:org:custom:abc123", "org/model:tag"])
def test_ids_with_colons_and_slashes_reach_the_handler(client, model_id: str) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve(model_id)
    assert caught.value.code == "model_not_found"
    assert model_id in caught.value.message


def test_unknown_model_id_is_404_model_not_found(http) -> None:
    response = http.get("/v1/models/gpt-nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "model_not_found"


@pytest.mark.parametrize("path,body", [("/v1/chat/completions", chat_body(model="gpt-nope")),
                                       ("/v1/embeddings", embeddings_body(model="gpt-nope"))])
def test_unknown_model_in_a_request_is_404(http, path: str, body: dict) -> None:
    response = http.post(path, json=body)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "model_not_found"
    assert error["message"] == "The model `gpt-nope` does not exist or you do not have access to it."


def test_any_model_setting_accepts_unknown_names(make_server) -> None:
    server = make_server(any_model=True)
    headers = {"Authorization": "Bearer sk-dummy"}
    chat = httpx.post(server.base_url + "/chat/completions", json=chat_body(model="my-local-llama"),
                      headers=headers)
    assert chat.status_code == 200 and chat.json()["model"] == "my-local-llama"
    embed = httpx.post(server.base_url + "/embeddings", json=embeddings_body(model="my-embedder"), headers=headers)
    assert embed.status_code == 200


def test_an_embedding_model_is_not_a_chat_model(http) -> None:
    response = http.post("/v1/chat/completions", json=chat_body(model="text-embedding-3-small"))
    assert response.status_code == 404
    assert "not a chat model" in response.json()["error"]["message"]



def test_every_listed_completion_and_moderation_model_is_served(server, client, http) -> None:
    listed = {model.id for model in client.models.list()}
    assert {"gpt-3.5-turbo-instruct", "gpt-3.5-turbo-instruct-0914", "davinci-002", "babbage-002"} <= listed
    assert set(typing.get_args(ModerationModel)) <= listed
    for model in server.app.services.models.catalogue.models.values():
        if model.kind == COMPLETION:
            response = http.post("/v1/completions", json={"model": model.id, "prompt": "Hi", "max_tokens": 2})
        elif model.kind == MODERATION:
            response = http.post("/v1/moderations", json={"model": model.id, "input": "Hi"})
        else:
            continue
        assert response.status_code == 200, model.id


@pytest.mark.parametrize("model", ["gpt-3.5-turbo-0613", "gpt-4-32k", "o1-mini"])
def test_retired_models_are_refused_as_the_api_refuses_them(http, model: str) -> None:
    answer = http.post("/v1/chat/completions", json=chat_body(model=model))
    assert answer.status_code == 404
    assert answer.json() == {"error": {
        "message": f"The model `{model}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations",
        "type": "invalid_request_error", "param": None, "code": "model_not_found"}}
