"""Where a shop may ship: ISO 3166-1 alpha-2 country codes (the list lives in haven.core.countries)."""

from __future__ import annotations

from haven.core.countries import COUNTRIES

__all__ = ["COUNTRIES"]
