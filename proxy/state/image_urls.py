"""Pictures served at the URLs of `response_format: url` answers, bounded in bytes and in count.

The real URLs are pre-signed blob addresses, readable without the API key for 60 minutes ("URLs are only
valid for 60 minutes after the image has been generated"); here they are `/v1/images/content/<id>.<ext>` on
this server, with the same lifetime. The oldest go first when the store is full; `/_mock/reset` empties it.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from typing import Callable

LIFETIME_SECONDS = 3600
DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
DEFAULT_COUNT = 1000
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp"}
CONTENT_PATH = "/v1/images/content/"


class ImageUrls:
    """Picture id -> (bytes, media type, expiry); safe to add to from the worker threads that draw them."""

    def __init__(self, budget: int = DEFAULT_BUDGET_BYTES, count: int = DEFAULT_COUNT,
                 clock: Callable[[], float] = time.time) -> None:
        self.budget, self.count, self.clock = budget, count, clock
        self.items: OrderedDict[str, tuple[bytes, str, float]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def add(self, data: bytes, media_type: str) -> str:
        """Keep a picture; returns its file name (`img-<id>.<ext>`)."""
        name = f"img-{os.urandom(12).hex()}.{EXTENSIONS.get(media_type, 'png')}"
        with self.lock:
            self.items[name] = (data, media_type, self.clock() + LIFETIME_SECONDS)
            self.size += len(data)
            while self.items and (self.size > self.budget or len(self.items) > self.count):
                _, (old, _, _) = self.items.popitem(last=False)
                self.size -= len(old)
        return name

    def get(self, name: str) -> tuple[bytes, str] | None:
        """The picture and its media type; None when unknown, evicted or expired."""
        with self.lock:
            found = self.items.get(name)
            if found is None:
                return None
            if found[2] <= self.clock():
                del self.items[name]
                self.size -= len(found[0])
                return None
            return found[0], found[1]

    def reset(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0
