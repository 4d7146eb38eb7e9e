"""Vector stores' content: files read as text, cut into token chunks, embedded, ranked, filtered and cited."""
