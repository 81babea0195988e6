"""JSON API of earnings: creator and seller figures and statements (mounted at /api/v1/earnings)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["earnings"])
