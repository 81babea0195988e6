"""JSON API endpoints of accounts (mounted by config.api)."""

from ninja import Router

router = Router(tags=["accounts"])
