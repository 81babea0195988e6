"""Tests of the moderation text classifiers."""
