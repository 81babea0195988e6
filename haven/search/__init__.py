"""Search: one index interface over notes, members, topics (and products later); SQLite FTS5 embedded, PostgreSQL full text scaled."""
