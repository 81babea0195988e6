"""Management commands of feeds: feed rebuilds, counter flushes, Discover candidates."""
