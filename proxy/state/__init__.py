"""Stores of API objects this server keeps: what clients created and may read back."""
