"""JSON API of payments (mounted under /api/v1/payments/ in config.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["payments"])
