"""HTML views of earnings: the creator and seller dashboards (charts drawn server-side as SVG) and the
monthly CSV statements. Reads only (haven.orders.earnings); a shop's dashboard is for its owner and
managers (and operators), a 404 for anyone else."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from haven.core.errors import HavenError, NotFound
from haven.core.money import exponent, format_money
from haven.orders import earnings
from haven.shops import access as shop_access
from haven.shops import selectors as shop_selectors
from haven.shops.models import Shop

# ---------------------------------------------------------------------------------------------------
# Charts: inline SVG, geometry computed here, drawn by orders/earnings_chart.html

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 24
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass
class Chart:
    """What the chart template draws: bars or lines, grid lines with labels, x labels, a legend, and
    the same data as a table (the accessible fallback)."""

    id: str
    title: str
    desc: str
    bars: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    grid: list[dict[str, Any]] = field(default_factory=list)
    xlabels: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: bool = True
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    baseline: float = TOP + PLOT_H
    center_x: int = LEFT + PLOT_W // 2
    center_y: int = TOP + PLOT_H // 2


def _label(day: date, bucket: str) -> str:
    return f"{day.month}/{day.day}"


def _scale(values: Sequence[int]) -> tuple[int, int]:
    """The value range of the plot: always holds zero; all zeros draw the zero line at the bottom."""
    top = max([0, *values])
    bottom = min([0, *values])
    return (top or (0 if bottom else 1)), bottom


def _y(value: int, top: int, bottom: int) -> float:
    span = (top - bottom) or 1
    return round(TOP + (top - value) * PLOT_H / span, 1)


def _frame(
    chart: Chart, starts: Sequence[date], bucket: str, top: int, bottom: int, fmt: Callable[[int], str]
) -> None:
    marks = [0] if chart.empty else sorted({top, bottom, 0, (top + bottom) // 2})
    labels: dict[str, float] = {}
    for v in marks:  # a label shown once (small amounts round to the same whole unit)
        labels.setdefault(fmt(v), _y(v, top, bottom))
    chart.grid = [{"y": y, "label": label} for label, y in labels.items()]
    chart.baseline = _y(0, top, bottom)
    n = len(starts)
    step = PLOT_W / max(n, 1)
    picks = sorted({0, n // 2, n - 1}) if n else []
    chart.xlabels = [
        {"x": round(LEFT + step * i + step / 2, 1), "text": _label(starts[i], bucket)} for i in picks
    ]


def bar_chart(
    *,
    id: str,
    title: str,
    desc: str,
    starts: Sequence[date],
    bucket: str,
    values: Sequence[int],
    fmt: Callable[[int], str],
    name: str,
    axis: Callable[[int], str] | None = None,
) -> Chart:
    """One series as bars (negative values hang below the zero line)."""
    chart = Chart(id=id, title=title, desc=desc, empty=not any(values))
    top, bottom = _scale(values)
    _frame(chart, starts, bucket, top, bottom, axis or fmt)
    step = PLOT_W / max(len(values), 1)
    gap = min(2.0, step * 0.2)
    zero = _y(0, top, bottom)
    for i, value in enumerate(values):
        y = _y(value, top, bottom)
        chart.bars.append(
            {
                "x": round(LEFT + step * i + gap / 2, 1),
                "y": min(y, zero),
                "w": round(max(step - gap, 0.5), 1),
                "h": round(abs(zero - y), 1),
                "negative": value < 0,
                "label": f"{starts[i].isoformat()}: {fmt(value)}",
            }
        )
    chart.legend = [{"cls": "s1", "name": name}]
    chart.head = [_("Period starting"), name]
    chart.rows = [[s.isoformat(), fmt(v)] for s, v in zip(starts, values, strict=True)]
    return chart


def line_chart(
    *,
    id: str,
    title: str,
    desc: str,
    starts: Sequence[date],
    bucket: str,
    series: Sequence[tuple[str, Sequence[int]]],
    fmt: Callable[[int], str],
) -> Chart:
    """Several series of counts as lines with dots (two at most: classes s1 and s2)."""
    every = [v for _name, values in series for v in values]
    chart = Chart(id=id, title=title, desc=desc, empty=not any(every))
    top, bottom = _scale(every)
    _frame(chart, starts, bucket, top, bottom, fmt)
    step = PLOT_W / max(len(starts), 1)
    for k, (name, values) in enumerate(series):
        cls = f"s{k + 1}"
        points = [(round(LEFT + step * i + step / 2, 1), _y(v, top, bottom)) for i, v in enumerate(values)]
        chart.lines.append(
            {
                "cls": cls,
                "name": name,
                "points": " ".join(f"{x},{y}" for x, y in points),
                "dots": [{"x": x, "y": y} for x, y in points] if len(points) <= 31 else [],
            }
        )
        chart.legend.append({"cls": cls, "name": name})
    chart.head = [_("Period starting"), *(name for name, _values in series)]
    chart.rows = [
        [s.isoformat(), *(fmt(values[i]) for _name, values in series)] for i, s in enumerate(starts)
    ]
    return chart


def _count(value: int) -> str:
    return str(value)


def _money_fmt(currency: str) -> Callable[[int], str]:
    return lambda amount: format_money(amount, currency)


def _compact(value: int) -> str:
    """A short axis label of a whole number: 950, 12k, 3.4M (integers only)."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value >= 1_000_000:
        return f"{sign}{value // 1_000_000}.{value % 1_000_000 // 100_000}M"
    if value >= 10_000:
        return f"{sign}{value // 1000}k"
    return f"{sign}{value}"


def _axis_money(currency: str) -> Callable[[int], str]:
    """Axis labels in whole major units (the legend names the currency; the table has exact amounts)."""
    scale = 10 ** exponent(currency)
    return lambda amount: _compact(abs(amount) // scale * (-1 if amount < 0 else 1))


# ---------------------------------------------------------------------------------------------------
# Shared presentation


def money_list(money: dict[str, int], currencies: Sequence[str]) -> list[str]:
    """Formatted amounts, one per currency (never added across currencies); zero in each listed one."""
    codes = sorted(set(money) | set(currencies))
    return [format_money(money.get(c, 0), c) for c in codes] or [format_money(0, "CNY")]


def pending_text(money: dict[str, int]) -> str:
    """The amounts still pending, " + " between currencies; "" when nothing is pending."""
    return " + ".join(format_money(v, c) for c, v in sorted(money.items()) if v)


def percent(bps: int | None) -> str:
    if bps is None:
        return "–"
    return f"{bps // 100}.{bps % 100 // 10}%"


def _range(request: HttpRequest) -> earnings.Range:
    """The period of the page from ?days= and ?bucket=; an unknown value falls back to the default."""
    try:
        return earnings.period_range(
            request.GET.get("days") or earnings.DEFAULT_DAYS, request.GET.get("bucket")
        )
    except HavenError:
        return earnings.period_range(earnings.DEFAULT_DAYS)


def _periods(rng: earnings.Range) -> list[dict[str, Any]]:
    names = {7: _("7 days"), 30: _("30 days"), 90: _("90 days"), 365: _("1 year")}
    return [{"days": d, "label": names[d], "current": d == rng.days} for d in earnings.PERIODS]


def _top(rows: Sequence[earnings.TopRow], currencies: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "row": r,
            "sales": [format_money(v, c) for c, v in sorted(r.sales.items())],
            "commission": [format_money(v, c) for c, v in sorted(r.commission.items())],
            "conversion": percent(earnings.conversion_bps(r.orders, r.clicks)),
        }
        for r in rows
    ]


def _money_charts(
    series: Sequence[earnings.Point],
    rng: earnings.Range,
    currencies: Sequence[str],
    *,
    key: str,
    title: str,
    name: str,
    desc: str,
) -> list[Chart]:
    starts = [p.start for p in series]
    charts = []
    for currency in currencies:
        values = [getattr(p, key).get(currency, 0) for p in series]
        charts.append(
            bar_chart(
                id=f"chart-{key}-{currency.lower()}",
                title=f"{title} ({currency})",
                desc=desc % {"total": format_money(sum(values), currency), "days": rng.days},
                starts=starts,
                bucket=rng.bucket,
                values=values,
                fmt=_money_fmt(currency),
                axis=_axis_money(currency),
                name=name,
            )
        )
    return charts


def _clicks_chart(series: Sequence[earnings.Point], rng: earnings.Range, clicks: int, orders: int) -> Chart:
    return line_chart(
        id="chart-clicks",
        title=_("Clicks and orders"),
        desc=_("%(clicks)d clicks on product tags and %(orders)d orders in the last %(days)d days.")
        % {"clicks": clicks, "orders": orders, "days": rng.days},
        starts=[p.start for p in series],
        bucket=rng.bucket,
        series=[(_("Clicks"), [p.clicks for p in series]), (_("Orders"), [p.orders for p in series])],
        fmt=_count,
    )


def _statements(url: str) -> list[dict[str, str]]:
    return [{"period": m.label, "url": f"{url}?period={m.label}"} for m in earnings.recent_months()]


# ---------------------------------------------------------------------------------------------------
# Pages


def _shop_or_404(request: HttpRequest, shop_id: Any) -> Shop:
    try:
        return shop_access.staff_shop_or_404(request.user, shop_id, roles=shop_access.MANAGE)
    except NotFound:
        raise Http404(_("This shop is not available.")) from None


@login_required
@never_cache
@require_GET
def earnings_creator(request: HttpRequest) -> HttpResponse:
    """The signed-in member's earnings from product tags on their notes."""
    rng = _range(request)
    figures = earnings.creator_figures(user=request.user, rng=rng)
    currencies = figures.currencies
    mine = list(shop_access.shops_of(request.user)[:20])
    roles = shop_selectors.roles_of(request.user, [s.pk for s in mine])
    shops = [s for s in mine if roles.get(s.pk) in shop_access.MANAGE]
    context = {
        "figures": figures,
        "periods": _periods(rng),
        "earned": money_list(figures.earned, currencies),
        "refunded": money_list(figures.refunded, currencies),
        "pending": pending_text(figures.pending),
        "sales": money_list(figures.sales, currencies),
        "conversion": percent(figures.conversion_bps),
        "charts": [
            *_money_charts(
                figures.series,
                rng,
                currencies or ["CNY"],
                key="earned",
                title=_("Commission earned"),
                name=_("Commission"),
                desc=_("Commission earned net of refunds: %(total)s in the last %(days)d days."),
            ),
            _clicks_chart(figures.series, rng, figures.clicks, figures.orders),
        ],
        "top": _top(figures.top_notes, currencies),
        "statements": _statements(reverse("orders:earnings_statement")),
        "statement_url": reverse("orders:earnings_statement"),
        "shops": shops,
        "nav_section": "me",
    }
    return render(request, "orders/earnings.html", context)


@login_required
@never_cache
@require_GET
def earnings_shop(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A shop's sales, fees, commissions and net (owner, managers and operators)."""
    shop = _shop_or_404(request, shop_id)
    rng = _range(request)
    figures = earnings.shop_figures(shop=shop, rng=rng)
    currencies = figures.currencies
    statement_url = reverse("orders:earnings_shop_statement", args=[shop.pk])
    context = {
        "shop": shop,
        "figures": figures,
        "periods": _periods(rng),
        "gross": money_list(figures.gross, currencies),
        "refunds": money_list(figures.refunds, currencies),
        "fees": money_list(figures.fees, currencies),
        "commissions": money_list(figures.commissions, currencies),
        "net": money_list(figures.net, currencies),
        "pending": pending_text(figures.pending),
        "conversion": percent(figures.conversion_bps),
        "has_commission": bool(figures.orders or figures.clicks)
        or shop.products.filter(commission_bps__gt=0).exists(),
        "charts": [
            *_money_charts(
                figures.series,
                rng,
                currencies,
                key="sales",
                title=_("Sales"),
                name=_("Sales"),
                desc=_("Order totals paid: %(total)s in the last %(days)d days."),
            ),
            *_money_charts(
                figures.series,
                rng,
                currencies,
                key="earned",
                title=_("Net to the shop"),
                name=_("Net"),
                desc=_("After fees, commissions and refunds: %(total)s in the last %(days)d days."),
            ),
            _clicks_chart(figures.series, rng, figures.clicks, figures.orders),
        ],
        "top": _top(figures.top_products, currencies),
        "statements": _statements(statement_url),
        "statement_url": statement_url,
        "nav_section": "me",
    }
    return render(request, "orders/earnings_shop.html", context)


def _csv(request: HttpRequest, name: str, build: Callable[[earnings.Month], str]) -> HttpResponse:
    try:
        month = earnings.parse_period(request.GET.get("period"))
    except HavenError as exc:
        return render(
            request, "web/error.html", {"message": exc.message, "code": exc.code}, status=exc.status
        )
    response = HttpResponse(build(month), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{month.label}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@never_cache
@require_GET
def earnings_statement(request: HttpRequest) -> HttpResponse:
    """The member's commission statement of one month as CSV (?period=YYYY-MM)."""
    return _csv(
        request, "haven-earnings", lambda month: earnings.creator_statement(user=request.user, month=month)
    )


@login_required
@never_cache
@require_GET
def earnings_shop_statement(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A shop's net statement of one month as CSV (?period=YYYY-MM)."""
    shop = _shop_or_404(request, shop_id)
    return _csv(
        request, f"haven-shop-{shop.pk}", lambda month: earnings.shop_statement(shop=shop, month=month)
    )
