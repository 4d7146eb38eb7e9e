"""Synthetic fine-tuning: resolved hyperparameters, the loss curve, checkpoints and the results file."""
