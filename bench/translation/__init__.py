"""Machine-translation benchmark (quality, speed, cache hit rate)."""
