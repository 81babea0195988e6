"""Feeds: Following timeline, Discover ranking, topic pages."""
