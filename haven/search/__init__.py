"""Search: one index over notes, members, topics (products later); SQLite FTS5 or PostgreSQL full text."""
