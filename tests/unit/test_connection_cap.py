"""The connection cap's bookkeeping when a client hangs up just before a newcomer arrives."""
from __future__ import annotations

import socket

from tornado import iostream

from dummy_openai_api.proxy.server.connections import CappedHTTPServer


class Delegate:
    def __init__(self) -> None:
        self.idle: dict[iostream.IOStream, None] = {}


def test_an_idle_connection_already_closed_but_not_yet_counted_makes_room() -> None:
    """Tornado closes a stream on the client's hang-up, but counts it out (on_close) only on a later turn of the
    loop: a newcomer accepted in between takes its place instead of getting a 503."""
    ours, theirs = socket.socketpair()
    stream = iostream.IOStream(ours)
    server = CappedHTTPServer(Delegate())
    server.cap = server.open = 1
    server.request_callback.idle[stream] = None  # type: ignore[union-attr]
    stream.close()  # the hang-up, read by Tornado; on_close still to come
    try:
        assert server._close_oldest_idle()
        assert server.open == 0
        assert not server._close_oldest_idle()  # nothing else idle: a newcomer past the cap is refused
    finally:
        theirs.close()
