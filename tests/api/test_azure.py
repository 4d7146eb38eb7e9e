"""The SDK's AzureOpenAI client: deployment paths, the api-key header, deployment mapping, Azure's errors."""
from __future__ import annotations

import httpx
import openai
import pytest

from tests.conftest import KEY

API_VERSION = "2024-10-21"


@pytest.fixture
def azure_server(make_server):
    return make_server(azure_deployments=(("prod-chat", "gpt-4o"), ("search", "text-embedding-3-small")))


def azure_client(server, **kwargs) -> openai.AzureOpenAI:
    kwargs.setdefault("api_key", KEY)
    kwargs.setdefault("_strict_response_validation", True)
    return openai.AzureOpenAI(azure_endpoint=server.root_url, api_version=API_VERSION, max_retries=0, **kwargs)


def test_chat_through_a_mapped_deployment(azure_server) -> None:
    with azure_client(azure_server) as client:
        completion = client.chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Hi"}])
    assert completion.model == "gpt-4o-2024-08-06" and completion.choices[0].message.content  # the snapshot


def test_streaming_through_a_deployment(azure_server) -> None:
    with azure_client(azure_server) as client:
        chunks = list(client.chat.completions.create(model="prod-chat", stream=True,
                                                     messages=[{"role": "user", "content": "Tell me a story"}]))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_embeddings_through_a_deployment(azure_server) -> None:
    with azure_client(azure_server, _strict_response_validation=False) as client:
        vectors = client.embeddings.create(model="search", input=["a", "b"])
    assert len(vectors.data) == 2 and len(vectors.data[0].embedding) == 1536


def test_a_deployment_named_like_a_model_needs_no_mapping(azure_server) -> None:
    with azure_client(azure_server) as client:
        completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}])
    assert completion.model == "gpt-4o-mini-2024-07-18"


def test_client_configured_with_a_deployment(azure_server) -> None:
    client = openai.AzureOpenAI(azure_endpoint=azure_server.root_url, azure_deployment="prod-chat",
                                api_version=API_VERSION, api_key=KEY, max_retries=0)
    completion = client.chat.completions.create(model="ignored", messages=[{"role": "user", "content": "x"}])
    assert completion.model == "gpt-4o-2024-08-06"


def test_models_under_the_azure_prefix(azure_server) -> None:
    with azure_client(azure_server) as client:
        assert any(m.id == "gpt-4o" for m in client.models.list())


def test_unknown_deployment_is_azures_404(azure_server) -> None:
    with azure_client(azure_server) as client, pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])
    assert caught.value.body == {"code": "DeploymentNotFound", "message": caught.value.body["message"]}
    assert caught.value.body["message"].startswith("The API deployment for this resource does not exist.")


def test_wrong_key_is_azures_401(azure_server) -> None:
    with azure_client(azure_server, api_key="wrong") as client, pytest.raises(openai.AuthenticationError) as caught:
        client.chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "x"}])
    assert caught.value.body["code"] == "401" and "Access denied" in caught.value.body["message"]
    assert set(caught.value.body) == {"code", "message"}


def test_missing_api_version_is_resource_not_found(azure_server) -> None:
    response = httpx.post(azure_server.root_url + "/openai/deployments/prod-chat/chat/completions",
                          json={"messages": [{"role": "user", "content": "x"}]}, headers={"api-key": KEY})
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_validation_errors_keep_the_openai_envelope(azure_server) -> None:
    response = httpx.post(azure_server.root_url + f"/openai/deployments/prod-chat/chat/completions"
                          f"?api-version={API_VERSION}", json={"messages": []}, headers={"api-key": KEY})
    assert response.status_code == 400 and response.json()["error"]["param"] == "messages"
