"""Stores of API objects that this server keeps in every mode, each bounded and cleared by `/_mock/reset`."""
