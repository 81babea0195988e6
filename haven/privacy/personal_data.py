"""The privacy app's own models in the personal-data registry, and its hooks for lower apps."""

from __future__ import annotations


def register_all() -> None:
    """Called from PrivacyConfig.ready()."""
