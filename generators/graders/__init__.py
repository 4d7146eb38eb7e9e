"""Graders (`/v1/fine_tuning/alpha/graders`): templates filled from a sample and an item, then scored."""
