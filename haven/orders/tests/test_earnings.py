"""Earnings: creator and seller figures against the ledger, access, CSV statements, charts, query budgets."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import NoteProductTag, TagClick
from haven.core.errors import InvalidInput
from haven.notes.tests.factories import NoteFactory
from haven.orders import earnings, services
from haven.orders.models import Order
from haven.orders.tests.world import address, pay, product, shop
from haven.payments.models import LedgerEntry
from haven.shops.models import ShopStaff

pytestmark = pytest.mark.django_db
_keys = itertools.count(1)


def _buy(buyer: Any, variant: Any, *, note: Any = None, quantity: int = 1, click: bool = True) -> Order:
    """`buyer` taps `note`'s tag (when given), buys `quantity` of `variant` and pays."""
    if note is not None and click:
        TagClick.objects.create(user=buyer, note=note, product=variant.product)
    services.cart_add(user=buyer, variant_id=variant.pk, quantity=quantity, note_id=note.pk if note else None)
    home = buyer.addresses.first() or address(buyer)
    checkout = services.checkout_submit(buyer=buyer, key=f"k{next(_keys)}", address_id=home.pk)
    assert pay(checkout.payment) == "applied"
    return Order.objects.get(checkout=checkout)


def _refund(order: Order, amount: int) -> None:
    services.order_refund(actor=order.shop.owner, order=order, amount=amount, key=f"r{next(_keys)}")


def _ledger(**filters: Any) -> dict[str, int]:
    rows = LedgerEntry.objects.filter(**filters).values("currency").annotate(total=Sum("amount"))
    return {r["currency"]: -int(r["total"]) for r in rows}


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def build_world() -> dict[str, Any]:
    """A tea shop with a 10 % commission product tagged on a creator's note; three paid orders
    (two from the note), one of them half refunded; one more click without a purchase."""
    creator = UserFactory()
    tea = shop(shipping=1000)
    variant = product(tea, price=10000, commission_bps=1000, stock=50, title="Oolong tea")
    plain = product(tea, price=3000, commission_bps=0, stock=50, title="Tea cup")
    note = NoteFactory(author=creator, title="My spring tea")
    NoteProductTag.objects.create(note=note, product=variant.product)
    first = _buy(UserFactory(), variant, note=note, quantity=2)
    second = _buy(UserFactory(), variant, note=note)
    third = _buy(UserFactory(), plain)
    TagClick.objects.create(user=UserFactory(), note=note, product=variant.product)
    _refund(second, second.total // 2)
    return {
        "creator": creator,
        "shop": tea,
        "note": note,
        "variant": variant,
        "orders": [first, second, third],
    }


def test_creator_earned_is_the_ledger_commission_net_of_refunds(world: dict[str, Any]) -> None:
    creator = world["creator"]
    figures = earnings.creator_figures(user=creator, rng=earnings.period_range(30))
    ledger = _ledger(account="creator", owner_id=creator.pk)
    assert figures.earned == ledger
    # 10 % of 2 x 100.00 + 10 % of 100.00, then half of the second order's commission given back.
    assert figures.commission == {"CNY": 3000} and figures.refunded == {"CNY": 500}
    assert figures.earned == {"CNY": 2500}
    assert figures.pending == {"CNY": 2500}  # both orders are still open
    assert (figures.clicks, figures.orders) == (3, 2)
    assert figures.conversion_bps == 6666
    assert figures.sales == {"CNY": 30000}
    assert sum(p.earned.get("CNY", 0) for p in figures.series) == 2500
    assert sum(p.clicks for p in figures.series) == 3 and sum(p.orders for p in figures.series) == 2
    [top] = figures.top_notes
    assert (top.id, top.title, top.clicks, top.orders, top.commission) == (
        world["note"].pk,
        "My spring tea",
        3,
        2,
        {"CNY": 3000},
    )
    # Completed orders are no longer pending.
    Order.objects.filter(pk__in=[o.pk for o in world["orders"]]).update(status="completed")
    assert earnings.creator_figures(user=creator, rng=earnings.period_range(7)).pending == {}


def test_seller_net_is_gross_less_fees_commissions_and_refunds(world: dict[str, Any]) -> None:
    tea = world["shop"]
    figures = earnings.shop_figures(shop=tea, rng=earnings.period_range(30))
    orders = world["orders"]
    gross = sum(o.total for o in orders)
    assert figures.gross == {"CNY": gross}
    assert figures.refunds == {"CNY": orders[1].total // 2}
    net = figures.gross["CNY"] - figures.fees["CNY"] - figures.commissions["CNY"] - figures.refunds["CNY"]
    assert figures.net == {"CNY": net} == _ledger(account="shop", owner_id=tea.pk)
    assert figures.commissions == {"CNY": 2500} and figures.fees == _ledger(account="platform")
    assert (figures.orders, figures.units, figures.attributed_orders, figures.clicks) == (3, 4, 2, 3)
    assert figures.conversion_bps == 6666
    assert sum(p.orders for p in figures.series) == 3
    assert sum(p.sales.get("CNY", 0) for p in figures.series) == gross
    assert sum(p.earned.get("CNY", 0) for p in figures.series) == net
    assert [(t.title, t.units) for t in figures.top_products] == [("Oolong tea", 3), ("Tea cup", 1)]


def test_amounts_in_different_currencies_are_never_added() -> None:
    creator = UserFactory()
    note = NoteFactory(author=creator)
    cny = product(shop(currency="CNY"), price=10000, commission_bps=1000)
    usd = product(shop(currency="USD"), price=2000, commission_bps=500)
    for variant in (cny, usd):
        NoteProductTag.objects.create(note=note, product=variant.product)
        _buy(UserFactory(), variant, note=note)
    figures = earnings.creator_figures(user=creator, rng=earnings.period_range(7))
    assert figures.earned == {"CNY": 1000, "USD": 100}
    assert figures.top_notes[0].commission == {"CNY": 1000, "USD": 100}


def test_periods_and_buckets_are_bounded() -> None:
    today = date(2025, 3, 31)
    rng = earnings.period_range(365, today=today)
    assert rng.bucket == "week" and len(rng.bucket_starts()) == 53 and rng.start == date(2024, 4, 1)
    assert len(earnings.period_range("7", today=today).bucket_starts()) == 7
    for bad in (0, 31, "abc", "9" * 40, -7):
        with pytest.raises(InvalidInput) as err:
            earnings.period_range(bad)
        assert err.value.code == "invalid_period"
    with pytest.raises(InvalidInput) as err:
        earnings.period_range(30, "month")
    assert err.value.code == "invalid_bucket"
    assert earnings.parse_period("2025-02").label == "2025-02"
    for bad in ("2025-13", "2025-1", "1999-12", "2025-02x", "=1+1"):
        with pytest.raises(InvalidInput):
            earnings.parse_period(bad)


def test_csv_cells_cannot_become_formulas() -> None:
    assert earnings.csv_safe("=SUM(A1)") == "'=SUM(A1)"
    assert earnings.csv_safe("+1") == "'+1" or earnings.csv_safe("+1") == "+1"
    assert earnings.csv_safe("-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0"
    assert earnings.csv_safe("@x") == "'@x" and earnings.csv_safe("\tx") == "'\tx"
    assert earnings.csv_safe("-12.50") == "-12.50" and earnings.csv_safe("Tea") == "Tea"


def _read_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_creator_statement_adds_up_to_the_ledger_and_neutralises_injection(client: Any) -> None:
    creator = UserFactory()
    note = NoteFactory(author=creator, title="@evil note")
    variant = product(shop(), price=10000, commission_bps=1000, title='=HYPERLINK("http://x")')
    NoteProductTag.objects.create(note=note, product=variant.product)
    order = _buy(UserFactory(), variant, note=note)
    _buy(UserFactory(), variant, note=note)
    _refund(order, 3000)
    # A line of an earlier month stays out of this month's statement.
    old = LedgerEntry.objects.filter(account="creator", owner_id=creator.pk).order_by("id").first()
    assert old is not None
    LedgerEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=62))
    client.force_login(creator)
    month = timezone.now().strftime("%Y-%m")
    response = client.get(f"/earnings/statement.csv?period={month}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="haven-earnings-{month}.csv"'
    rows = _read_csv(response)
    assert rows[0] == list(earnings.STATEMENT_HEADER)
    lines, totals = rows[1:-1], rows[-1]
    this_month = LedgerEntry.objects.filter(account="creator", owner_id=creator.pk).exclude(pk=old.pk)
    assert len(lines) == this_month.count() == 2  # one commission, one refund
    expected = -sum(this_month.values_list("amount", flat=True))
    assert sum(int(r[5].replace(".", "")) for r in lines) == expected
    assert (
        totals[2] == "total" and totals[5] == f"{expected // 100}.{expected % 100:02d}" and totals[6] == "CNY"
    )
    assert {r[2] for r in lines} == {"commission", "refund"}
    assert all(r[3].startswith("'=HYPERLINK") and r[4] == "'@evil note" for r in lines)
    assert {r[1] for r in lines} <= set(Order.objects.values_list("number", flat=True))
    # Bad periods are refused, not a 500.
    assert client.get("/earnings/statement.csv?period=2025-13").status_code == 400


def test_shop_statement_totals_match_the_shop_account(client: Any, world: dict[str, Any]) -> None:
    tea = world["shop"]
    client.force_login(tea.owner)
    month = timezone.now().strftime("%Y-%m")
    rows = _read_csv(client.get(f"/earnings/shop/{tea.pk}/statement.csv?period={month}"))
    lines = rows[1:-1]
    assert len(lines) == LedgerEntry.objects.filter(account="shop", owner_id=tea.pk).count() == 4
    net = _ledger(account="shop", owner_id=tea.pk)["CNY"]
    assert sum(int(r[5].replace(".", "")) for r in lines) == net
    assert rows[-1][5] == f"{net // 100}.{net % 100:02d}"
    assert any("Oolong tea" in r[3] for r in lines)


def test_other_members_cannot_open_a_shops_dashboard_or_statement(client: Any, world: dict[str, Any]) -> None:
    tea = world["shop"]
    packer = UserFactory()
    ShopStaff.objects.create(shop=tea, user=packer, role=ShopStaff.Role.FULFILMENT)
    urls = [
        f"/earnings/shop/{tea.pk}/",
        f"/earnings/shop/{tea.pk}/statement.csv",
        f"/api/v1/earnings/shops/{tea.pk}",
        f"/api/v1/earnings/shops/{tea.pk}/statement.csv",
    ]
    for someone in (UserFactory(), world["creator"], packer):
        client.force_login(someone)
        for url in urls:
            assert client.get(url).status_code == 404, url
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page
    client.force_login(tea.owner)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get("/earnings/shop/999999999/").status_code == 404


def test_an_empty_dashboard_draws_charts_and_explains_how_to_earn(client: Any) -> None:
    client.force_login(UserFactory())
    response = client.get("/earnings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="earn-svg"') == 2
    assert '<title id="chart-clicks-title">' in html and '<desc id="chart-clicks-desc">' in html
    assert "Earn from your notes" in html and "Show as a table" in html
    assert "Nothing in this period yet" in html
    assert "nan" not in html.lower().split("<svg", 1)[1].split("</svg>", 1)[0]
    tea = shop()
    client.force_login(tea.owner)
    html = client.get(f"/earnings/shop/{tea.pk}/?days=365").content.decode()
    assert html.count('<svg class="earn-svg"') == 3 and "Set a commission rate" in html


def test_the_dashboards_show_the_figures(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["creator"])
    html = client.get("/earnings/?days=7").content.decode()
    assert "¥25.00" in html and "My spring tea" in html and 'aria-current="page">7' in html
    client.force_login(world["shop"].owner)
    html = client.get(f"/earnings/shop/{world['shop'].pk}/?days=90&bucket=day").content.decode()
    assert "Oolong tea" in html and "¥25.00" in html
    # An unknown period falls back to the default rather than failing.
    assert client.get("/earnings/?days=12").status_code == 200


def test_dashboard_query_budget(
    client: Any, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    """A fixed number of queries whatever the volume: ~12 for the figures, the rest is the page
    frame (session, navigation badges)."""
    for _more in range(3):  # more orders, notes and clicks add no query
        note = NoteFactory(author=world["creator"])
        NoteProductTag.objects.create(note=note, product=world["variant"].product)
        _buy(UserFactory(), world["variant"], note=note)
    client.force_login(world["creator"])
    with django_assert_max_num_queries(16):
        assert client.get("/earnings/?days=365").status_code == 200
    client.force_login(world["shop"].owner)
    with django_assert_max_num_queries(26):
        assert client.get(f"/earnings/shop/{world['shop'].pk}/?days=365").status_code == 200


def test_api_figures_and_bounded_parameters(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["creator"])
    body = client.get("/api/v1/earnings/creator?days=30").json()
    assert body["earned"] == [{"currency": "CNY", "amount": 2500, "major": "25.00", "display": "¥25.00"}]
    assert body["clicks"] == 3 and body["orders"] == 2 and len(body["series"]) == 30
    assert body["statements"][0]["csv_url"].endswith(
        "/api/v1/earnings/creator/statement.csv?period=" + body["statements"][0]["period"]
    )
    response = client.get("/api/v1/earnings/creator?days=0")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    response = client.get("/api/v1/earnings/creator?days=31")
    assert response.status_code == 400 and response.json()["code"] == "invalid_period"
    assert client.get("/api/v1/earnings/creator?bucket=month").status_code == 422
    response = client.get("/api/v1/earnings/creator/statement.csv?period=2025-1")
    assert response.status_code == 400 and response.json()["code"] == "invalid_period"
    assert client.get("/api/v1/earnings/creator/statement.csv").status_code == 200
    client.force_login(world["shop"].owner)
    body = client.get(f"/api/v1/earnings/shops/{world['shop'].pk}?days=7&bucket=week").json()
    assert body["bucket"] == "week" and len(body["series"]) == 1
    gross, fees, comm, refunds, net = (
        body[k][0]["amount"] for k in ("gross", "fees", "commissions", "refunds", "net")
    )
    assert net == gross - fees - comm - refunds
    client.logout()
    assert client.get("/api/v1/earnings/creator").status_code == 401


def test_statements_are_bounded(client: Any, world: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(earnings, "STATEMENT_ROWS_MAX", 2)
    rows = earnings.statement_rows(
        account="shop", owner_id=world["shop"].pk, month=earnings.parse_period(None)
    )
    assert len(rows) == 1 + 2 + 1 + 1 and rows[-1][2].startswith("truncated")


def test_bar_chart_geometry_with_negative_and_zero_values() -> None:
    from haven.orders.views_earnings import bar_chart

    starts = [date(2025, 1, d) for d in (1, 2, 3)]
    chart = bar_chart(
        id="c", title="t", desc="d", starts=starts, bucket="day", values=[0, -100, 200], fmt=str, name="n"
    )
    assert [b["negative"] for b in chart.bars] == [False, True, False]
    assert all(b["h"] >= 0 and 0 <= b["y"] <= chart.height for b in chart.bars)
    assert chart.bars[1]["y"] == chart.baseline and chart.bars[2]["y"] + chart.bars[2]["h"] == chart.baseline
    empty = bar_chart(
        id="c", title="t", desc="d", starts=starts, bucket="day", values=[0, 0, 0], fmt=str, name="n"
    )
    assert empty.empty and [g["label"] for g in empty.grid] == ["0"] and empty.baseline == 12 + 180 - 12 - 24
    assert chart.rows == [["2025-01-01", "0"], ["2025-01-02", "-100"], ["2025-01-03", "200"]]


def test_pending_reads_as_part_of_what_was_earned(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["creator"])
    html = client.get("/earnings/?days=7").content.decode()
    assert "Of which <b>¥25.00</b> is still pending until the orders complete." in html
    assert '<p class="earn-card-label">Pending</p>' not in html  # no second amount beside Earned
    assert 'data-label="Commission"' in html  # the ranked rows stack as cards on a phone
    Order.objects.filter(pk__in=[o.pk for o in world["orders"]]).update(status="completed")
    assert "data-pending" not in client.get("/earnings/?days=7").content.decode()
    client.force_login(world["shop"].owner)
    shop_html = client.get(f"/earnings/shop/{world['shop'].pk}/").content.decode()
    assert "data-pending" not in shop_html and '<p class="earn-card-label">Pending</p>' not in shop_html
