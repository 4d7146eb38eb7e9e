"""API tests: a real server in this process, reached through the official SDK and raw HTTP."""
