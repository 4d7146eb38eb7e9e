"""Custom (free-form) tools: the input the assistant writes for one, and what their definitions cost in tokens."""
