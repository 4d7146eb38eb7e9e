"""Synthetic legacy completions (`/v1/completions`)."""
