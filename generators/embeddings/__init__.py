"""Embedding vectors from a real small model, in each API model's dimensions."""
