"""JSON API endpoints of translation (mounted by config.api)."""

from ninja import Router

router = Router(tags=["translation"])
