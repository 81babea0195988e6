"""Demo-content generator data and helpers: content banks (content.py) and the image painter (painter.py)."""
