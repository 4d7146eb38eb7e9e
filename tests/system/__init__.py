"""System tests: servers in their own processes, browsers, fresh virtualenvs, the command line."""
