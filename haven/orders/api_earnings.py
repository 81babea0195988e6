"""JSON API of earnings: creator and seller figures and statements (mounted at /api/v1/earnings).

The same figures as the dashboards (haven.orders.earnings). Money is a list of {currency, amount in
minor units, major decimal string, display}: amounts in different currencies are never added.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from haven.core.input import MAX_ID
from haven.core.money import format_money, to_major_string
from haven.core.openapi import errors
from haven.orders import earnings
from haven.shops import access as shop_access

router = Router(tags=["earnings"])


class EarningsMoneyOut(Schema):
    currency: str = Field(..., max_length=3)
    amount: int = Field(..., description="minor units (cents, fen)")
    major: str = Field(..., max_length=32, description='decimal string, e.g. "12.50"')
    display: str = Field(..., max_length=40)


class EarningsPointOut(Schema):
    start: date
    clicks: int
    orders: int
    sales: list[EarningsMoneyOut]
    earned: list[EarningsMoneyOut]


class EarningsTopOut(Schema):
    id: int | None
    title: str
    clicks: int
    orders: int
    units: int
    sales: list[EarningsMoneyOut]
    commission: list[EarningsMoneyOut] = Field(..., description="before refunds")


class EarningsStatementOut(Schema):
    period: str = Field(..., max_length=7)
    csv_url: str


class CreatorEarningsOut(Schema):
    days: int
    bucket: str
    start: date
    end: date
    clicks: int
    orders: int
    conversion_bps: int | None = Field(..., description="orders per click in basis points")
    sales: list[EarningsMoneyOut]
    commission: list[EarningsMoneyOut]
    refunded: list[EarningsMoneyOut]
    earned: list[EarningsMoneyOut] = Field(..., description="commission net of refunds, from the ledger")
    pending: list[EarningsMoneyOut] = Field(..., description="earned on orders not completed yet (all time)")
    series: list[EarningsPointOut]
    top_notes: list[EarningsTopOut]
    statements: list[EarningsStatementOut]


class ShopEarningsOut(Schema):
    shop_id: int
    days: int
    bucket: str
    start: date
    end: date
    orders: int
    units: int
    attributed_orders: int
    clicks: int
    conversion_bps: int | None
    gross: list[EarningsMoneyOut]
    refunds: list[EarningsMoneyOut]
    fees: list[EarningsMoneyOut]
    commissions: list[EarningsMoneyOut]
    net: list[EarningsMoneyOut] = Field(..., description="gross - refunds - fees - commissions")
    pending: list[EarningsMoneyOut]
    series: list[EarningsPointOut]
    top_products: list[EarningsTopOut]
    statements: list[EarningsStatementOut]


class FiguresQuery(Schema):
    days: int = Field(earnings.DEFAULT_DAYS, ge=1, le=366, description="7, 30, 90 or 365")
    bucket: Literal["day", "week"] | None = None


class StatementQuery(Schema):
    period: str | None = Field(None, max_length=7, description="YYYY-MM (default: this month)")


def _money(value: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"currency": c, "amount": a, "major": to_major_string(a, c), "display": format_money(a, c)}
        for c, a in sorted(value.items())
    ]


def _point(p: earnings.Point) -> dict[str, Any]:
    return {
        "start": p.start,
        "clicks": p.clicks,
        "orders": p.orders,
        "sales": _money(p.sales),
        "earned": _money(p.earned),
    }


def _top(r: earnings.TopRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "clicks": r.clicks,
        "orders": r.orders,
        "units": r.units,
        "sales": _money(r.sales),
        "commission": _money(r.commission),
    }


def _range_out(rng: earnings.Range) -> dict[str, Any]:
    return {"days": rng.days, "bucket": rng.bucket, "start": rng.start, "end": rng.end}


def _statements(request: HttpRequest, url: str) -> list[dict[str, str]]:
    return [
        {"period": m.label, "csv_url": request.build_absolute_uri(f"{url}?period={m.label}")}
        for m in earnings.recent_months()
    ]


def _csv(body: str, name: str, month: earnings.Month) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{month.label}.csv"'
    return response


@router.get("/creator", response=CreatorEarningsOut, summary="My earnings from product tags on my notes")
def creator(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    f = earnings.creator_figures(user=user, rng=earnings.period_range(query.days, query.bucket))
    return {
        **_range_out(f.range),
        "clicks": f.clicks,
        "orders": f.orders,
        "conversion_bps": f.conversion_bps,
        "sales": _money(f.sales),
        "commission": _money(f.commission),
        "refunded": _money(f.refunded),
        "earned": _money(f.earned),
        "pending": _money(f.pending),
        "series": [_point(p) for p in f.series],
        "top_notes": [_top(r) for r in f.top_notes],
        "statements": _statements(request, reverse("api:earnings_creator_statement")),
    }


@router.get(
    "/creator/statement.csv",
    response={200: None},
    url_name="earnings_creator_statement",
    summary="My commission statement of one month (CSV)",
)
def creator_statement(request: HttpRequest, query: Query[StatementQuery]) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    month = earnings.parse_period(query.period)
    return _csv(earnings.creator_statement(user=user, month=month), "haven-earnings", month)


@router.get(
    "/shops/{shop_id}",
    response={200: ShopEarningsOut, **errors(404)},
    summary="A shop's sales, fees, commissions and net (owner, managers)",
)
def shop(
    request: HttpRequest, query: Query[FiguresQuery], shop_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    found = shop_access.staff_shop_or_404(request.auth, shop_id, roles=shop_access.MANAGE)  # type: ignore[attr-defined]
    f = earnings.shop_figures(shop=found, rng=earnings.period_range(query.days, query.bucket))
    return {
        "shop_id": found.pk,
        **_range_out(f.range),
        "orders": f.orders,
        "units": f.units,
        "attributed_orders": f.attributed_orders,
        "clicks": f.clicks,
        "conversion_bps": f.conversion_bps,
        "gross": _money(f.gross),
        "refunds": _money(f.refunds),
        "fees": _money(f.fees),
        "commissions": _money(f.commissions),
        "net": _money(f.net),
        "pending": _money(f.pending),
        "series": [_point(p) for p in f.series],
        "top_products": [_top(r) for r in f.top_products],
        "statements": _statements(request, reverse("api:earnings_shop_statement", args=[found.pk])),
    }


@router.get(
    "/shops/{shop_id}/statement.csv",
    response={200: None, **errors(404)},
    url_name="earnings_shop_statement",
    summary="A shop's net statement of one month (CSV)",
)
def shop_statement(
    request: HttpRequest, query: Query[StatementQuery], shop_id: int = Path(..., ge=1, le=MAX_ID)
) -> HttpResponse:
    found = shop_access.staff_shop_or_404(request.auth, shop_id, roles=shop_access.MANAGE)  # type: ignore[attr-defined]
    month = earnings.parse_period(query.period)
    return _csv(earnings.shop_statement(shop=found, month=month), f"haven-shop-{found.pk}", month)
