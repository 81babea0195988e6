"""JSON API of shops (mounted under /api/v1/shops/ in config.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["shops"])
