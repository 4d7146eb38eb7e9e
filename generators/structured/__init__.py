"""JSON values valid against a schema, grounded in the conversation: structured outputs and arguments."""
