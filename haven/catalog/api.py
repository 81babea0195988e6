"""JSON API of catalog (mounted under /api/v1/catalog/ in config.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["catalog"])
