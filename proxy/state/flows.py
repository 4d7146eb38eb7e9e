"""What the dashboard draws and inspects: the journal as a timeline (outcomes and latency per time step), and
one entry as a flow (the request as sent, the answer as given and, for a cassette miss, the closest recording
with the differing fields), with every secret removed before it leaves the server.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable

import orjson

from dummy_openai_api.proxy.cassettes.store import CassetteStore
from dummy_openai_api.proxy.state.journal import Entry, Journal, parsed_body
from dummy_openai_api.proxy.cassettes.miss_report import ABSENT, Difference
from dummy_openai_api.proxy.cassettes.scrub import REDACTED, RESPONSE_SECRETS, scrub_bytes

KINDS = ("hit", "miss", "fault", "rule", "upstream", "synthetic", "error")  # in the order the charts stack them
STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400)  # seconds per bar
BARS = 60  # at most, so a day-long journal draws as fast as a minute-long one
SECRET_FIELD = re.compile(r"(api[_-]?key|apikey|access_token|secret|password)$", re.I)


def kind(entry: Entry) -> str:
    """hit (a recording answered), fault, upstream (forwarded, recorded in record mode), miss (the cassettes
    had none: a strict miss, or a synthetic answer in replay mode), rule (a canned answer), synthetic or error."""
    source = entry.source
    if source.startswith("cassette:"):
        return "hit"
    if source.startswith("fault:"):
        return "fault"
    if source == "upstream":
        return "upstream"  # recorded (or forwarded): what a miss in record mode becomes
    if entry.missed:
        return "miss"
    if source.startswith("rule:"):
        return "rule"
    return "synthetic" if source == "synthetic" and (entry.status or 0) < 400 else "error"


def timeline(entries: Iterable[Entry], now: float) -> dict[str, Any]:
    """Answered entries counted by kind per time step (`BARS` steps ending now, each as short as covers the
    journal), with each step's median, 95th percentile and slowest latency; and the same for the whole journal."""
    done = [e for e in entries if e.status is not None and e.duration_ms is not None]
    start = done[0].time if done else now
    step = next((s for s in STEPS if (now - start) / s < BARS - 1), STEPS[-1])
    first = (math.floor(now / step) - BARS + 1) * step  # a fixed number of bars, the last one now
    counts: list[dict[str, int]] = [{k: 0 for k in KINDS} for _ in range(BARS)]
    times: list[list[float]] = [[] for _ in range(BARS)]
    totals = {k: 0 for k in KINDS}
    for entry in done:
        which = kind(entry)
        totals[which] += 1
        index = int((entry.time - first) // step)
        if 0 <= index < BARS:
            counts[index][which] += 1
            times[index].append(entry.duration_ms)  # type: ignore[arg-type]  # done: answered
    bars = [{"t": first + i * step, **counts[i], **_latency(times[i])} for i in range(BARS)]
    return {"step": step, "kinds": list(KINDS), "bars": bars, "totals": totals,
            "latency": _latency([e.duration_ms for e in done])}  # type: ignore[misc]


def _latency(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "max": None}
    values = sorted(values)
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 2)  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "max": round(values[-1], 2)}


def flow(entry: Entry, journal: Journal, store: CassetteStore) -> bytes:
    """The entry as the detail view shows it, as JSON bytes scrubbed of every secret the server knows of."""
    shown = journal.render(entry, lambda e: store.request_key(e).key)
    shown["kind"] = kind(entry)
    shown["response"] = _answer(entry)
    shown["closest"] = _closest(entry, store) if shown["kind"] == "miss" else None
    return scrub_bytes(orjson.dumps(shown, default=_text), journal.secrets)


def _answer(entry: Entry) -> dict[str, Any] | None:
    answer = entry.answer
    if answer is None:
        return None
    body = answer.body
    return {"status": answer.status, "stream": answer.stream, "truncated": answer.truncated,
            "headers": [[name, value] for name, value in answer.headers() if name.lower() not in RESPONSE_SECRETS],
            "body": body.decode("utf-8", "replace") if answer.stream else parsed_body(body)}


def _closest(entry: Entry, store: CassetteStore) -> dict[str, Any] | None:
    """The recording a strict miss cites (CassetteStore.closest), both requests, and what differs."""
    if entry.truncated:
        return None  # a cut body would give wrong differences
    keyed = store.request_key(entry)  # type: ignore[arg-type]
    cassette = entry.headers.get("X-Cassette")
    found = store.closest(cassette, f"{entry.method} {keyed.path}", keyed.canonical)
    if found is None:
        return None
    recording, differences = found
    return {"cassette": recording.cassette, "index": recording.index, "endpoint": recording.endpoint,
            "recorded": recording.canonical, "received": keyed.canonical, "status": recording.status,
            "answer": parsed_body(recording.body) if recording.events is None
            else b"".join(recording.events).decode("utf-8", "replace"),
            "differences": [_difference(d) for d in differences]}


def _difference(difference: Difference) -> dict[str, Any]:
    secret = SECRET_FIELD.search(difference.field.rsplit(".", 1)[-1]) is not None
    return {"field": difference.field,
            "recorded": _value(difference.recorded, secret), "received": _value(difference.received, secret),
            "absent": "recorded" if difference.recorded is ABSENT else
                      "received" if difference.received is ABSENT else None}


def _value(value: Any, secret: bool) -> Any:
    if value is ABSENT:
        return None
    return REDACTED if secret else value


def _text(value: Any) -> str:
    """Raw (non-JSON) bodies as text."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    raise TypeError
