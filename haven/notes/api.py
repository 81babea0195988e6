"""JSON API endpoints of notes (mounted by config.api)."""

from ninja import Router

router = Router(tags=["notes"])
