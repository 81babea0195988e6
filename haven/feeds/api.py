"""JSON API endpoints of feeds (mounted by config.api)."""

from ninja import Router

router = Router(tags=["feeds"])
