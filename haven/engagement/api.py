"""JSON API endpoints of engagement (mounted by config.api)."""

from ninja import Router

router = Router(tags=["engagement"])
