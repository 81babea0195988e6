"""JSON API of orders (mounted under /api/v1/orders/ in config.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["orders"])
