"""Where an answer comes from: rules, faults, rate limits, cassettes, the upstream, generators."""
