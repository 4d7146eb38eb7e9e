"""State shared by every process of one server: the `--state` backends (SQLite, Redis) and the stores on them."""
