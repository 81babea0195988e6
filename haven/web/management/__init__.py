"""Management commands of the web shell."""
