"""Unit tests: functions and classes called directly, no server."""
