"""Recordings: the cassette store, its files and formats, the request key's use, the upstream recorder."""
