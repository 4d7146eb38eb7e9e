"""Stores of API objects this server keeps itself: vector stores and their files."""
