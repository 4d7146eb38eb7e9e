"""The API error type, raised anywhere and rendered as the OpenAI error envelope in one place."""
from __future__ import annotations

from typing import Any

import orjson

from dummy_openai_api.generators.limits import TooLarge
from dummy_openai_api.proxy.core.redact import redact


class APIError(Exception):
    """An error answered to the client as `{"error": {"message", "type", "param", "code"}}`."""

    def __init__(
        self,
        status: int,
        message: str,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        message = redact(message)  # messages echo what clients sent: a key in a path or a field
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers or {}

    def envelope(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}

    def body(self) -> bytes:
        return orjson.dumps(self.envelope())


# The real API's wording for the errors raised in more than one place.

def invalid_url(method: str, path: str) -> APIError:
    return APIError(404, f"Invalid URL ({method} {path})")


def invalid_method(method: str, path: str) -> APIError:
    """The real API words a wrong method like an unknown URL; the status says which it is."""
    return APIError(405, f"Invalid URL ({method} {path})")


def model_not_found(model: str) -> APIError:
    return APIError(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


def bad_json() -> APIError:
    return APIError(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
        "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
        "If you have trouble figuring out how to fix this, please contact us through our help center at "
        "help.openai.com.)",
    )


def server_error(request_id: str) -> APIError:
    return APIError(
        500,
        "The server had an error processing your request. Sorry about that! You can retry your request, or "
        "contact us through our help center at help.openai.com if you keep seeing this error. (Please include the "
        f"request ID {request_id} in your email.)",
        type="server_error",
    )


def over_limit(error: TooLarge) -> APIError:
    """A request over one of the generators' bounds: a 400 whose message names the limit."""
    return APIError(400, error.message, param=error.param, code="generation_limit_exceeded")
