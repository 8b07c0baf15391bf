"""Stage 1: a committed file's bytes become one canonical Vietnamese text (encodings, text rules, bounds)."""
