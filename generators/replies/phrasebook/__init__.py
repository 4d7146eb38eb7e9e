"""Word and phrase tables for `generators.replies`, one module per topic: pure data, no logic.

Placeholders in the prose templates are filled with `str.format`-style names: `{topic}` / `{Topic}` (the
subject, lower- or capital-initial), `{kw}` (the key terms joined), `{task}` (a verb phrase such as "reset
your password"), `{obj}` (its object), `{is}` ("is" or "are"), `{n}` (a count). Code templates use `%%name%%`
tokens instead, because code is full of braces.
"""
