"""Synthetic Responses API answers: output items, the response object, its stream, its tokens."""
