"""Azure OpenAI's URL scheme on top of the OpenAI routes.

The `AzureOpenAI` client calls `/openai/deployments/{deployment}/chat/completions?api-version=...` (also
`completions`, `embeddings`, audio and images), other resources under `/openai/...`, sends its key in an
`api-key` header, and Azure words a few errors in its own envelope (`{"error": {"code", "message"}}`).
A request on such a path is rewritten to its OpenAI route before routing, with the deployment mapped to a
model, so every handler, cassette and recording works for Azure clients unchanged.
"""
from __future__ import annotations

import re
from typing import Any

from dummy_openai_api.generators.catalog.models import Catalogue
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Request

PREFIX = "/openai/"
_DEPLOYMENT = re.compile(r"^/openai/deployments/(?P<deployment>[^/]+)(?P<rest>/.*)$")


class AzureError(APIError):
    """An error in Azure's envelope: a code and a message, no type or param."""

    def envelope(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def access_denied() -> AzureError:
    return AzureError(401, "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
                           "provide a valid key for an active subscription and use a correct regional API endpoint "
                           "for your resource.", code="401")


def deployment_not_found() -> AzureError:
    return AzureError(404, "The API deployment for this resource does not exist. If you created the deployment "
                           "within the last 5 minutes, please wait a moment and try again.",
                      code="DeploymentNotFound")


def rewrite(request: Request, deployments: dict[str, str], catalogue: Catalogue, any_model: bool) -> None:
    """Turn an Azure path into its OpenAI route, in place; the deployment's model goes into the body."""
    request.context["azure"] = True
    if "api-version" not in request.query_args():
        raise AzureError(404, "Resource not found", code="404")
    found = _DEPLOYMENT.match(request.path)
    if found is None:
        request.path = "/v1/" + request.path[len(PREFIX):].removeprefix("v1/")
        return
    deployment = found["deployment"]
    model = deployments.get(deployment) or (deployment if any_model or catalogue.get(deployment) else None)
    if model is None:
        raise deployment_not_found()
    request.path = "/v1" + found["rest"]
    if request.headers.get("Content-Type", "").lower().startswith("multipart/form-data"):
        request.context["deployment_model"] = model  # a form (audio uploads) is not rewritten: its handler reads this
        return
    body = request.json()
    if isinstance(body, dict):
        body["model"] = model
