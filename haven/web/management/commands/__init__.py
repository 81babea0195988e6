"""Management commands of the web shell (seed_demo)."""
