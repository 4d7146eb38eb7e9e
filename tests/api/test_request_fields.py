"""Body fields the API does not know: refused on chat and the Responses API as the real API refuses them, unless
`accept_unknown_fields`; the known fields come from the SDK's request types."""
from __future__ import annotations

import openai
import pytest

from dummy_openai_api.proxy.validation import generate_fields, request_fields
from tests.conftest import chat_body, responses_body, sdk_client


def test_an_unknown_chat_argument_is_refused_in_the_api_words(http) -> None:
    answer = http.post("/v1/chat/completions", json=chat_body(top_k=5))
    assert answer.status_code == 400
    assert answer.json() == {"error": {"message": "Unrecognized request argument supplied: top_k",
                                       "type": "invalid_request_error", "param": None, "code": None}}


def test_every_field_the_sdk_sends_is_known(client) -> None:
    answer = client.chat.completions.create(**chat_body(
        stream=False, verbosity="low", safety_identifier="user-1", prompt_cache_key="k", web_search_options=None,
        prediction=None, service_tier="auto", n=1, seed=3, user="u"))
    assert answer.choices


def test_input_tokens_knows_its_own_fields(http, client) -> None:
    counted = client.responses.input_tokens.count(model="gpt-5.4", input="Hello", personality="friendly")
    assert counted.input_tokens > 0
    answer = http.post("/v1/responses/input_tokens", json={"model": "gpt-5.4", "input": "Hello", "stream": True})
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "stream"


def test_a_setting_accepts_unknown_fields(make_server) -> None:
    server = make_server(accept_unknown_fields=True)
    with sdk_client(server) as lenient:
        assert lenient.chat.completions.create(**chat_body(), extra_body={"top_k": 5}).choices
        assert lenient.responses.create(**responses_body(), extra_body={"top_k": 5}).output_text


def test_unknown_fields_are_refused_on_responses_too(client) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(**responses_body(), extra_body={"top_k": 5})
    assert (refused.value.param, refused.value.code) == ("top_k", "unknown_parameter")


def test_the_field_table_knows_every_field_of_the_installed_sdk() -> None:
    for name, fields in generate_fields.sdk_fields().items():
        missing = set(fields) - getattr(request_fields, name)
        assert not missing, f"{name} lacks {missing}: run python -m proxy.validation.generate_fields"
    if request_fields.SDK_VERSION == openai.__version__:
        assert generate_fields.source() == generate_fields.TARGET.read_text()
