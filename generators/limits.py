"""How much one request may ask the generators to make, and the error raised when it asks for more.

A few hundred bytes can describe a huge answer (`minItems: 10000000`, a `pattern` of `(a{1000}){1000}`, a
chain of `allOf` references); these bounds keep every synthetic answer's work small, so that a request over
one is refused at once (as a 400 naming the limit) instead of freezing the server. The API publishes no such
limits for generated values, so these are ours, set well above what a real model writes in one answer
(a JSON answer of gpt-4o-mini fits in 16,384 output tokens, about 65,000 characters).
"""
from __future__ import annotations

MAX_SCHEMA_VALUES = 5000        # JSON values in one generated instance (the API allows 5,000 properties per schema)
MAX_SCHEMA_CHARS = 100_000      # characters of strings in one generated instance
MAX_SCHEMA_STEPS = 50_000       # `$ref`/`allOf` resolutions while generating one instance
MAX_PATTERN_CHARS = 20_000      # characters built from one `pattern` (each costs a few microseconds)


class TooLarge(Exception):
    """A request asks a generator for more than its bound; answered as the API's 400 with this message."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


def schema_limit(what: str, limit: int, unit: str) -> TooLarge:
    """The schema demands more than one generated value may hold: `what` says which keyword or value."""
    return TooLarge(f"The JSON schema asks for {what}; this server generates at most {limit} {unit} per JSON value "
                    "(its schema instance limit). Reduce the schema's minimum sizes.")


def check_count(keyword: str, asked: int, limit: int, unit: str) -> None:
    """Refuse a schema keyword (minItems, minLength, minProperties) whose minimum alone is over the limit."""
    if asked > limit:
        raise schema_limit(f"{keyword} {asked}", limit, unit)
