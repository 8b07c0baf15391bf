"""Stage 5: the site: its pages, letter HTML, open data, feeds, and where the built site lands."""
