"""Benchmarks and the data generator (not part of the test suite)."""
