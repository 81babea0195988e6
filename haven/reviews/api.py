"""JSON API of reviews (mounted under /api/v1/reviews/ in config.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reviews"])
