"""The Redis backend (`--state redis://host:port/db`): replicas on many machines share one Redis.

Each table is a hash of values beside a sorted set that keeps their order; a put, with the eviction of the
oldest beyond a limit, is one Lua script, so it is atomic on the server. Read-modify-write goes through
WATCH/MULTI. Every key starts with `dummy-openai:` so the server can share a Redis database with others.
"""
from __future__ import annotations

import asyncio
from typing import Any

import redis
import redis.asyncio
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

from dummy_openai_api.proxy.state.shared.backend import Change, guarded, state_unavailable

PREFIX = "dummy-openai:"

# KEYS: values hash, order zset, sequence counter; ARGV: limit, then key, value, key, value...
PUT = """
for i = 2, #ARGV, 2 do
  local seq = redis.call('INCR', KEYS[3])
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[2], seq, ARGV[i])
end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[1])
if tonumber(ARGV[1]) > 0 and over > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
  for _, key in ipairs(old) do redis.call('HDEL', KEYS[1], key) end
end
"""
# KEYS: values hash, order zset
VALUES = """
local keys = redis.call('ZRANGE', KEYS[2], 0, -1)
local out = {}
for _, key in ipairs(keys) do
  local value = redis.call('HGET', KEYS[1], key)
  if value then out[#out + 1] = value end
end
return out
"""


def _reason(error: BaseException) -> str:
    return f"Redis: {error}"


@guarded((redis.RedisError,), _reason)
class RedisBackend:
    remote = True

    def __init__(self, url: str) -> None:
        # One quick retry after a dropped connection (a restarted Redis), then a clear error: never a long hang.
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2,
                                           retry=Retry(NoBackoff(), 1), health_check_interval=30)
        self._put, self._values = (self.client.register_script(s) for s in (PUT, VALUES))
        self.url = url
        self._on_loop: redis.asyncio.Redis | None = None  # made on first use, in the serving process and loop
        self._loop: asyncio.AbstractEventLoop | None = None  # that loop

    @staticmethod
    def _keys(table: str) -> list[str]:
        return [f"{PREFIX}t:{table}", f"{PREFIX}o:{table}", f"{PREFIX}s:{table}"]

    def get(self, table: str, key: str) -> bytes | None:
        return self.client.hget(f"{PREFIX}t:{table}", key)  # type: ignore[return-value]

    def put(self, table: str, key: str, value: bytes, limit: int = 0) -> None:
        self._put(keys=self._keys(table), args=[limit, key, value])

    def put_many(self, table: str, values: dict[str, bytes], limit: int = 0) -> None:
        if values:
            self._put(keys=self._keys(table), args=[limit, *(part for pair in values.items() for part in pair)])

    def update(self, table: str, key: str, change: Change) -> bytes | None:
        values, order, sequence = self._keys(table)
        result: list[Any] = [None]

        def attempt(pipe: Any) -> None:
            old = pipe.hget(values, key)
            result[0] = new = change(old)
            place = pipe.incr(sequence) if old is None and new is not None else None  # before MULTI: now
            pipe.multi()
            if new is not None:
                pipe.hset(values, key, new)
            if place is not None:
                pipe.zadd(order, {key: place})
        self.client.transaction(attempt, values)
        return result[0]

    def delete(self, table: str, key: str) -> bool:
        values, order, _ = self._keys(table)
        with self.client.pipeline() as pipe:
            pipe.hdel(values, key)
            pipe.zrem(order, key)
            return bool(pipe.execute()[0])

    def values(self, table: str) -> list[bytes]:
        return self._values(keys=self._keys(table)[:2])  # type: ignore[no-any-return]

    def clear(self, *tables: str) -> None:
        names = [name for table in tables for name in (*self._keys(table), f"{PREFIX}c:{table}",
                                                       f"{PREFIX}records:{table}", f"{PREFIX}claims:{table}")]
        if names:
            self.client.delete(*names)

    def claim(self, table: str, key: str) -> bool:
        return bool(self.client.sadd(f"{PREFIX}claims:{table}", key))

    def incr(self, table: str, key: str, by: int = 1) -> int:
        return int(self.client.hincrby(f"{PREFIX}c:{table}", key, by))  # type: ignore[arg-type]

    def counts(self, table: str) -> dict[str, int]:
        found = self.client.hgetall(f"{PREFIX}c:{table}")
        return {k.decode(): int(v) for k, v in found.items()}  # type: ignore[union-attr]

    async def counts_on_loop(self, table: str) -> dict[str, int]:
        """`counts` through an asyncio client: a thread would wait for the GIL at each step while the loop is
        busy, milliseconds for a read the request path may wait on."""
        if self._on_loop is None:
            self._on_loop = redis.asyncio.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=2,
                                                         retry=AsyncRetry(NoBackoff(), 1))
            self._loop = asyncio.get_running_loop()
        try:
            found = await self._on_loop.hgetall(f"{PREFIX}c:{table}")
        except redis.RedisError as error:
            raise state_unavailable(_reason(error)) from error
        return {k.decode(): int(v) for k, v in found.items()}  # type: ignore[union-attr]

    def append(self, log: str, records: list[bytes], keep: int) -> None:
        # The records as they are (no number in each: Redis copies nothing) and the count of all ever added, in
        # one transaction: the last record's number is the count.
        if records:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(f"{PREFIX}records:{log}", *records)
                pipe.incrby(f"{PREFIX}n:{log}", len(records))
                pipe.ltrim(f"{PREFIX}records:{log}", -keep, -1)
                pipe.execute()

    def tail(self, log: str, keep: int) -> list[tuple[int, bytes]]:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.lrange(f"{PREFIX}records:{log}", -keep, -1)
            pipe.get(f"{PREFIX}n:{log}")
            records, count = pipe.execute()
        first = int(count or 0) - len(records) + 1
        return [(first + index, record) for index, record in enumerate(records)]

    def close(self) -> None:
        """Both clients' connections; the event loop's client on its loop, stopped by now (or at its next turn)."""
        self.client.close()
        on_loop, loop, self._on_loop = self._on_loop, self._loop, None
        if on_loop is None or loop is None or loop.is_closed():
            return
        if loop.is_running():
            asyncio.run_coroutine_threadsafe(on_loop.aclose(), loop)
        else:
            loop.run_until_complete(on_loop.aclose())

