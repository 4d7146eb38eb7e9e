"""Starting the server: the command line, start-up checks, worker processes, the tiktoken cache."""
