"""The HTTP server: the route table, connections, the common headers, Host and Origin checks."""
