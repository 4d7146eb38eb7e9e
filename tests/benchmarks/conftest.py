"""Benchmarks are scripts, not tests: `pytest` never collects anything in this folder (see README.md)."""

collect_ignore_glob = ["*"]
