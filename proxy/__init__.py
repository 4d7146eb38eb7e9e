"""The Tornado application of Dummy OpenAI API: routing, auth, errors, request keys, cassettes, upstream."""

__version__ = "0.1.0"
