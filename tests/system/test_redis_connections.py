"""A server on Redis closes its connections when it stops, the event loop's client included: replicas that
come and go leave no connection behind on a Redis that many of them share."""
from __future__ import annotations

from pathlib import Path

import httpx
import redis

from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.testing.background import BackgroundServer
from tests.conftest import KEY
from tests.processes import wait_for
from tests.redis_server import RedisServer


def test_a_stopped_server_leaves_no_connection_open_on_redis(redis_server: RedisServer, tmp_path: Path) -> None:
    probe = redis.Redis(port=redis_server.port)
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=str(tmp_path / "cassettes"),
                        state=redis_server.url)
    with BackgroundServer(settings) as server, httpx.Client(base_url=server.root_url, timeout=30,
                                                            headers={"Authorization": f"Bearer {KEY}"}) as client:
        backend = server.app.services.pipeline.sharing.backend  # type: ignore[union-attr]

        def both_clients_connected() -> bool:  # the loop's client reads the admin version between requests
            assert client.get("/v1/models").status_code == 200
            return backend._on_loop is not None and others(probe) >= 2
        assert wait_for(both_clients_connected, 30)
    assert wait_for(lambda: others(probe) == 0, 30), [(c["id"], c["cmd"], c["age"]) for c in probe.client_list()]


def others(probe: redis.Redis) -> int:
    """Connections to Redis besides the probe's own."""
    return len(probe.client_list()) - 1
