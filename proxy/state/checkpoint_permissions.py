"""Checkpoint permissions (`/v1/fine_tuning/checkpoints/{checkpoint}/permissions`): which projects may use a
fine-tuned model or checkpoint of this organization's. Bounded, cleared by `/_mock/reset`."""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Callable

from dummy_openai_api.generators.fine_tuning import training
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.core.errors import APIError

MOST_PERMISSIONS = 10_000


def checkpoint_not_found(checkpoint: str) -> APIError:
    return APIError(404, f"Fine-tuned model checkpoint '{checkpoint}' not found.",
                    param="fine_tuned_model_checkpoint", code="model_not_found")


def permission_not_found(permission_id: str) -> APIError:
    return APIError(404, f"Checkpoint permission '{permission_id}' not found.", param="permission_id")


class CheckpointPermissions:
    """Permissions by checkpoint, oldest first; `known(name)` says whether a checkpoint is this server's."""

    def __init__(self, known: Callable[[str], bool], limit: int = MOST_PERMISSIONS) -> None:
        self.known = known
        self.limit = limit
        self.by_checkpoint: dict[str, OrderedDict[str, dict[str, Any]]] = {}

    def reset(self) -> None:
        self.by_checkpoint.clear()

    def create(self, checkpoint: str, project_ids: list[str]) -> dict[str, Any]:
        """One permission per project not yet permitted; answers the permissions of every project asked."""
        held = {p["project_id"]: p for p in self._permissions(checkpoint)}
        new = [project for project in dict.fromkeys(project_ids) if project not in held]
        if self._count() + len(new) > self.limit:
            raise APIError(429, f"This server keeps at most {self.limit} checkpoint permissions.",
                           type="rate_limit_error", code="rate_limit_exceeded")
        for project in new:
            held[project] = {"object": "checkpoint.permission", "id": training.object_id("cp_"),
                             "created_at": int(time.time()), "project_id": project}
            self._keep(checkpoint, held[project])
        data = [held[p] for p in dict.fromkeys(project_ids)]
        return {"object": "list", "data": data, "first_id": data[0]["id"], "last_id": data[-1]["id"],
                "has_more": False}

    def page(self, checkpoint: str, args: dict[str, Any]) -> dict[str, Any]:
        items = [p for p in self._permissions(checkpoint)
                 if not args.get("project_id") or p["project_id"] == args["project_id"]]
        return paged(items, args, permission_not_found)

    def delete(self, checkpoint: str, permission_id: str) -> dict[str, Any]:
        self._permissions(checkpoint)  # an unknown checkpoint 404s first
        if not self._remove(checkpoint, permission_id):
            raise permission_not_found(permission_id)
        return {"object": "checkpoint.permission", "id": permission_id, "deleted": True}

    # Where permissions are kept (a shared store keeps them on the backend)

    def _permissions(self, checkpoint: str) -> list[dict[str, Any]]:
        """The checkpoint's permissions, oldest first; 404 for a checkpoint this server did not make."""
        if not self.known(checkpoint):
            raise checkpoint_not_found(checkpoint)
        return list(self.by_checkpoint.get(checkpoint, {}).values())

    def _count(self) -> int:
        return sum(map(len, self.by_checkpoint.values()))

    def _keep(self, checkpoint: str, permission: dict[str, Any]) -> None:
        self.by_checkpoint.setdefault(checkpoint, OrderedDict())[permission["id"]] = permission

    def _remove(self, checkpoint: str, permission_id: str) -> bool:
        return self.by_checkpoint.get(checkpoint, OrderedDict()).pop(permission_id, None) is not None
