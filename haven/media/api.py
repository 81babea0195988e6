"""JSON API endpoints of media (mounted by config.api)."""

from ninja import Router

router = Router(tags=["media"])
