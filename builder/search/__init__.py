"""Stage 4: the Vietnamese analyzer, the ranking model, the whoosh index and the browser's index."""
