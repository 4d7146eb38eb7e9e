"""The model catalogue: models, their dated snapshots, and retired models."""
