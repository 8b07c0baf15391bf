"""Stage 3: every committed letter, read (through the parse cache), checked and linked."""
