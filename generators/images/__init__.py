"""Synthetic images: what each image model accepts, deterministic pictures, and the Images API's answers."""
