"""What the API keeps between requests: the journal and the stores of API objects."""
