"""Function tools: when to call which, and how the model reads their declarations."""
