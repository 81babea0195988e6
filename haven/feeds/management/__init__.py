"""Management commands of feeds."""
