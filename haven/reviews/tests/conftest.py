"""Reviews tests buy through the fake payment provider of orders' test world."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fake_payments(settings):  # type: ignore[no-untyped-def]
    settings.HAVEN_PAYMENTS_PROVIDER = "fake"
    from haven.orders.tests import world

    world.FAKE.refunds.clear()
    world.FAKE.cancelled.clear()
