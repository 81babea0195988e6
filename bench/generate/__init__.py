"""Synthetic community generator: `python -m bench.generate --size S|M` (see docs/scaling.md)."""
