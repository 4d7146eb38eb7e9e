"""Request ids: `req_` and 32 hex digits, never repeated, not even by a worker forked from the process."""
from __future__ import annotations

import os
import re

from dummy_openai_api.proxy.server.app import new_request_id


def test_ids_have_the_api_shape_and_do_not_repeat() -> None:
    ids = {new_request_id() for _ in range(10_000)}
    assert len(ids) == 10_000 and all(re.fullmatch(r"req_[0-9a-f]{32}", i) for i in ids)


def test_a_forked_worker_makes_ids_of_its_own() -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, then out without running the parent's cleanup
        os.write(write, new_request_id().encode())
        os._exit(0)
    os.close(write)
    child = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    os.close(read)
    assert child != new_request_id() and child.startswith("req_")
