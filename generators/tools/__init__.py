"""Function and custom tools: when to call which, what a custom tool is called with, and how the model reads
their declarations."""
