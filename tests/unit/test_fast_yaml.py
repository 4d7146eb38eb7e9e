"""The fast YAML path builds exactly what PyYAML's safe loader builds, or declines (None) and leaves it the file."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dummy_openai_api.proxy.cassettes.formats import dumps_cassette, fast_yaml, read_cassette, vcr
from tests import bombs
from tests.unit.test_cassette_format import REAL, interactions, needs_real, sample

REAL_YAML = sorted(p for p in REAL.rglob("*") if p.is_file() and p.name.endswith((".yaml", ".yml")))


def safe(raw: bytes) -> Any:
    """What the safe loader builds (vcrpy's libyaml loader, as `read_cassette` uses it), or the exception."""
    loader = vcr._loader_class()(raw)
    try:
        return loader.get_single_data()
    except Exception as error:  # noqa: BLE001 - the verdict is what the test compares
        return error
    finally:
        loader.dispose()


def typed(value: Any) -> Any:
    """`value` with every leaf's type beside it: 1, 1.0 and True are equal to ==, not here."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, value


def assert_same_or_declined(raw: bytes) -> bool:
    """The fast result equals the safe loader's, typed; True when the fast path took the document."""
    fast = fast_yaml.load(raw)
    if fast is None:
        return False
    expected = safe(raw)
    assert not isinstance(expected, Exception), f"the safe loader refuses what the fast path read: {expected}"
    assert typed(fast) == typed(expected)
    assert list(map(str, fast)) == list(map(str, expected))  # key order too
    return True


@needs_real
def test_every_real_cassette_reads_the_same() -> None:
    taken = sum(assert_same_or_declined(path.read_bytes()) for path in REAL_YAML)
    assert taken >= 50, f"only {taken} of {len(REAL_YAML)} real cassettes took the fast path"  # the rest use tags


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(interactions, min_size=1, max_size=4))
def test_our_written_cassettes_read_the_same(generated: list) -> None:
    raw = dumps_cassette(generated).encode()
    assert_same_or_declined(raw)


def test_a_written_cassette_takes_the_fast_path() -> None:
    raw = dumps_cassette([sample(), sample(status=404, reason="Not Found")]).encode()
    assert assert_same_or_declined(raw)


# Scalars that YAML 1.1 (PyYAML) and YAML 1.2/JSON (rapidyaml) type differently, or that look as if they might.
SCALARS = [
    "yes", "No", "on", "OFF", "y", "n", "true", "True", "TRUE", "false", "null", "Null", "NULL", "~", "",
    "0", "-0", "200", "017", "0o17", "0x1F", "0b101", "1_000", "+1", "1:30", "190:20:30", "99999999999999999999",
    "9223372036854775808", "0.2", "1.", ".5", "-.5", "1e3", "1E3", "1.5e3", "1.5e+3", "1.0e-3", ".inf", "-.Inf",
    ".nan", "NaN", "inf", "2020-10-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "<<", "=",
    "1.54.0", "application/json", "gpt-4o", "a: b", "- x", "#x", "x #y", "café", "'quoted'",
]


@pytest.mark.parametrize("scalar", SCALARS)
@pytest.mark.parametrize("shape", ["k: {}\n", "k:\n- {}\n", "{}: v\n", "k: [{}, 1]\n", "k: {{a: {}}}\n"])
@pytest.mark.parametrize("style", ["{}", "'{}'", '"{}"'])
def test_scalars_read_the_same(scalar: str, shape: str, style: str) -> None:
    assert_same_or_declined(shape.format(style.format(scalar.replace("'", "''") if style == "'{}'" else scalar))
                            .encode())


@pytest.mark.parametrize("text", [
    "k: !!binary aGVsbG8=\n", "k: !!python/object/apply:os.system ['echo hi']\n", "k: !custom x\n",
    "a: &x [1]\nb: *x\n", "k: &a v\n", "!tagged\nk: v\n", "--- \nk: v\n", "k: v\n---\nk: w\n", "%YAML 1.1\n---\nk: v\n",
    "k: 'a\tb'\n", "k:\r\n  v\r\n", "\ufeffk: v\n", "k: a\u2028b\n", "k: a\x85b\n", "k: a\x01b\n", "- a\n- b\n", "v\n",
])
def test_what_could_read_two_ways_is_left_to_the_safe_loader(text: str) -> None:
    assert fast_yaml.load(text.encode()) is None


@pytest.mark.parametrize("make", [bombs.bomb_in_headers, bombs.bomb_in_parsed_body])
def test_alias_bombs_are_left_to_the_safe_loader(make: Any) -> None:
    assert fast_yaml.load(make().encode()) is None


def test_a_mutated_cassette_is_read_the_same_or_refused_the_same() -> None:
    """Random damage to a written cassette: whatever the safe loader refuses, the fast path must not read."""
    raw = dumps_cassette([sample(), sample(response_body=b'{"a": [1, 2.5, "x"], "b": null}')]).encode()
    alphabet = b" \n:-'\"#[]{},&*!|>?%@`\\0aZ9.~\t"
    chance = random.Random(20261207)
    for _ in range(400):
        damaged = bytearray(raw)
        for _ in range(chance.randint(1, 4)):
            at = chance.randrange(len(damaged))
            action = chance.randrange(3)
            if action == 0:
                damaged[at] = chance.choice(alphabet)
            elif action == 1:
                damaged.insert(at, chance.choice(alphabet))
            else:
                del damaged[at]
        assert_same_or_declined(bytes(damaged))


@needs_real
def test_without_rapidyaml_every_cassette_reads_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = {path: read_cassette(path) for path in REAL_YAML}
    monkeypatch.setattr(fast_yaml, "ryml", None)
    assert all(fast_yaml.load(path.read_bytes()) is None for path in REAL_YAML[:5])
    assert {path: read_cassette(path) for path in REAL_YAML} == fast


def test_a_large_written_cassette_reads_the_same(tmp_path: Path) -> None:
    items = [sample(request_body=f'{{"n": {n}, "text": "line\\nbreak **bold** & more!"}}'.encode(),
                    response_headers={"openai-version": ["2020-10-01"], "x-request-id": [f"req_{n}"],
                                      "content-length": [str(n)], "x-should-retry": ["false"],
                                      "access-control-allow-origin": ["*"]})
             for n in range(300)]
    raw = dumps_cassette(items).encode()
    assert assert_same_or_declined(raw)
    path = tmp_path / "large.yaml"
    path.write_bytes(raw)
    assert read_cassette(path) == items
