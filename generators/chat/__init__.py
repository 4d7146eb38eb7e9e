"""Synthetic chat completions and their streams."""
