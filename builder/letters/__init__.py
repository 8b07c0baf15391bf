"""Stage 2: one letter: its typed model, the parser and its rules, registries, checks, Markdown out."""
