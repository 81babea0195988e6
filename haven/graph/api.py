"""JSON API endpoints of graph (mounted by config.api)."""

from ninja import Router

router = Router(tags=["graph"])
