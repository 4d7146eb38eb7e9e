"""Synthetic speech and transcripts: text carried in the audio signal, encoded to the API's formats and back."""
