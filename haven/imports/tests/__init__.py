"""Tests for the imports app."""
