"""Web: the shell (base templates, layout, static assets, home, PWA)."""
