"""JSON API endpoints of notifications (mounted by config.api)."""

from ninja import Router

router = Router(tags=["notifications"])
