"""The server in a test suite: in a thread or a process, the pytest plugin, cassettes per test."""
