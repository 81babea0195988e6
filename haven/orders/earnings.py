"""Reads of earnings: creator and seller figures over a bounded period, and monthly CSV statements.

Every figure is an aggregate query (no loop over orders or ledger lines); the Python loops below run
over aggregated rows, bounded by the number of days (at most 366) and the top-N limits. Money comes
from the ledger (haven.payments.models.LedgerEntry): credits to creators and shops are negative there,
so an account holder's figure is minus the sum of its lines. Amounts in different currencies are
never added together: every money figure is a mapping currency -> minor units.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.catalog.models import Product, TagClick
from haven.core.errors import InvalidInput
from haven.core.money import to_major_string
from haven.notes.models import Note
from haven.orders import states
from haven.orders.models import Order, OrderLine
from haven.payments.models import LedgerEntry
from haven.shops.models import Shop

#: The periods a dashboard offers (days, ending today, UTC).
PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
BUCKETS = ("day", "week")
#: Rows of the "top notes" and "top products" tables.
TOP_MAX = 10
#: Lines of one CSV statement (one month of one account); beyond it the statement says it was cut.
STATEMENT_ROWS_MAX = 50_000
_CHUNK = 2000
#: Months offered in the statements list.
STATEMENT_MONTHS = 12
#: Orders whose money may still move back (refunds within the return window): "pending".
OPEN_STATUSES = (states.PAID, states.SHIPPED, states.DELIVERED)

Money = dict[str, int]  # currency -> minor units

_LINE_TOTAL = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=BigIntegerField())
# The commission the ledger posts for a line (rounded down per line, as orders.services does).
_LINE_COMMISSION = ExpressionWrapper(
    F("unit_price") * F("quantity") * F("commission_bps") / 10_000, output_field=BigIntegerField()
)
_PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------------------------------------------
# Periods and buckets


@dataclass(frozen=True)
class Range:
    """`days` days ending today (UTC), from `start` (midnight UTC) to now, in buckets of `bucket`."""

    days: int
    bucket: str
    start: date
    end: date  # today, inclusive

    @property
    def since(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)

    @property
    def step(self) -> int:
        return 7 if self.bucket == "week" else 1

    def bucket_starts(self) -> list[date]:
        count = (self.days + self.step - 1) // self.step
        return [self.start + timedelta(days=i * self.step) for i in range(count)]

    def index(self, day: date) -> int:
        return (day - self.start).days // self.step


def period_range(days: Any = DEFAULT_DAYS, bucket: Any = None, *, today: date | None = None) -> Range:
    """A bounded range: `days` in PERIODS (else InvalidInput invalid_period); `bucket` "day" or "week"
    (default: days up to 30 by day, longer by week)."""
    try:
        number = int(str(days)) if str(days).isdigit() and len(str(days)) <= 3 else 0
    except ValueError:
        number = 0
    if number not in PERIODS:
        raise InvalidInput(
            _("Choose a period of 7, 30, 90 or 365 days."), code="invalid_period", details={"field": "days"}
        )
    if bucket in (None, ""):
        bucket = "day" if number <= 30 else "week"
    if bucket not in BUCKETS:
        raise InvalidInput(_("Choose day or week."), code="invalid_bucket", details={"field": "bucket"})
    today = today or timezone.now().astimezone(UTC).date()
    return Range(days=number, bucket=str(bucket), start=today - timedelta(days=number - 1), end=today)


def _day(value: Any) -> date:
    """TruncDate yields a date (PostgreSQL) or an ISO string on some backends."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _by_day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=UTC)


def conversion_bps(orders: int, clicks: int) -> int | None:
    """Orders per click in basis points (1234 = 12.34 %), or None without clicks."""
    return orders * 10_000 // clicks if clicks else None


def _rows(query: Any) -> list[dict[str, Any]]:
    """The rows of an aggregate `.values().annotate()` query (bounded by days or top-N by its callers)."""
    return list(query)


def _add(money: Money, currency: str, amount: int) -> None:
    money[currency] = money.get(currency, 0) + int(amount or 0)


# ---------------------------------------------------------------------------------------------------
# Figures


@dataclass
class Point:
    """One bucket of a series: counts and per-currency money."""

    start: date
    clicks: int = 0
    orders: int = 0
    sales: Money = field(default_factory=dict)
    earned: Money = field(default_factory=dict)


@dataclass
class TopRow:
    id: int | None
    title: str
    clicks: int = 0
    orders: int = 0
    units: int = 0
    sales: Money = field(default_factory=dict)
    commission: Money = field(default_factory=dict)


@dataclass
class CreatorFigures:
    """What a creator's notes earned in a period. `earned` is net of refunds (from the ledger);
    `pending` is what open orders (not completed, all time) still hold of it."""

    range: Range
    clicks: int = 0
    orders: int = 0
    sales: Money = field(default_factory=dict)
    commission: Money = field(default_factory=dict)  # credited in the period, before refunds
    refunded: Money = field(default_factory=dict)  # given back in the period
    earned: Money = field(default_factory=dict)  # commission - refunded
    pending: Money = field(default_factory=dict)
    series: list[Point] = field(default_factory=list)
    top_notes: list[TopRow] = field(default_factory=list)
    has_tags: bool = False  # whether any of the creator's notes tags a product (for the empty state)

    @property
    def conversion_bps(self) -> int | None:
        return conversion_bps(self.orders, self.clicks)

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.sales) | set(self.earned) | set(self.pending))


@dataclass
class ShopFigures:
    """A shop's sales in a period. Money from the ledger: net = gross - refunds - fees - commissions."""

    range: Range
    shop: Shop
    orders: int = 0
    units: int = 0
    attributed_orders: int = 0  # orders with at least one line from a note's product tag
    clicks: int = 0
    gross: Money = field(default_factory=dict)
    refunds: Money = field(default_factory=dict)
    fees: Money = field(default_factory=dict)
    commissions: Money = field(default_factory=dict)
    net: Money = field(default_factory=dict)
    pending: Money = field(default_factory=dict)
    series: list[Point] = field(default_factory=list)
    top_products: list[TopRow] = field(default_factory=list)

    @property
    def conversion_bps(self) -> int | None:
        return conversion_bps(self.attributed_orders, self.clicks)

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.gross) | set(self.net) | set(self.pending) | {self.shop.currency})


def _series(rng: Range) -> list[Point]:
    return [Point(start=s) for s in rng.bucket_starts()]


def _point(series: list[Point], rng: Range, day: Any) -> Point | None:
    i = rng.index(_day(day))
    return series[i] if 0 <= i < len(series) else None


def _order_refs(orders: QuerySet[Order]) -> Any:
    """The ledger references ("order:<id>") of `orders`, as a subquery."""
    return orders.annotate(
        ref=Concat(Value("order:"), Cast("pk", CharField()), output_field=CharField())
    ).values("ref")


def creator_figures(*, user: Any, rng: Range) -> CreatorFigures:
    """The earnings dashboard of `user` as a creator (about 7 queries, whatever the volume)."""
    figures = CreatorFigures(range=rng, series=_series(rng))
    since = rng.since
    # Clicks on tags of the creator's notes, per day and per note.
    clicks = TagClick.objects.filter(note__author_id=user.pk, created_at__gte=since)
    for row in _rows(clicks.annotate(day=_by_day("created_at")).values("day").annotate(n=Count("id"))):
        if (p := _point(figures.series, rng, row["day"])) is not None:
            p.clicks += row["n"]
            figures.clicks += row["n"]
    clicks_by_note = dict(
        clicks.values("note_id").annotate(n=Count("id")).order_by("-n").values_list("note_id", "n")[:200]
    )
    # Orders attributed to the creator's notes (paid in the period), per day and currency.
    lines = OrderLine.objects.filter(creator_id=user.pk, order__paid_at__gte=since)
    for row in _rows(
        lines.annotate(day=_by_day("order__paid_at"))
        .values("day", "order__currency")
        .annotate(orders=Count("order_id", distinct=True), sales=Sum(_LINE_TOTAL))
    ):
        if (p := _point(figures.series, rng, row["day"])) is not None:
            p.orders += row["orders"]
            _add(p.sales, row["order__currency"], row["sales"])
        figures.orders += row["orders"]
        _add(figures.sales, row["order__currency"], row["sales"])
    # Commission from the ledger, net of refunds.
    ledger = LedgerEntry.objects.filter(
        account=LedgerEntry.Account.CREATOR, owner_id=user.pk, created_at__gte=since
    )
    for row in _rows(
        ledger.annotate(day=_by_day("created_at"))
        .values("day", "currency", "kind")
        .annotate(total=Sum("amount"))
    ):
        amount, currency = -int(row["total"]), row["currency"]
        if row["kind"] == LedgerEntry.Kind.REFUND:
            _add(figures.refunded, currency, -amount)
        else:
            _add(figures.commission, currency, amount)
        _add(figures.earned, currency, amount)
        if (p := _point(figures.series, rng, row["day"])) is not None:
            _add(p.earned, currency, amount)
    open_orders = Order.objects.filter(lines__creator_id=user.pk, status__in=OPEN_STATUSES)
    for row in _rows(
        LedgerEntry.objects.filter(
            account=LedgerEntry.Account.CREATOR, owner_id=user.pk, reference__in=_order_refs(open_orders)
        )
        .values("currency")
        .annotate(total=Sum("amount"))
    ):
        _add(figures.pending, row["currency"], -int(row["total"]))
    # Top notes: by orders, then clicks.
    rows: dict[int, TopRow] = {}
    for row in _rows(
        lines.filter(note_id__isnull=False)
        .values("note_id", "order__currency")
        .annotate(
            orders=Count("order_id", distinct=True),
            units=Sum("quantity"),
            sales=Sum(_LINE_TOTAL),
            commission=Sum(_LINE_COMMISSION),
        )
        .order_by()[:2000]
    ):
        top = rows.setdefault(row["note_id"], TopRow(id=row["note_id"], title=""))
        top.orders += row["orders"]
        top.units += row["units"] or 0
        _add(top.sales, row["order__currency"], row["sales"])
        _add(top.commission, row["order__currency"], row["commission"])
    for note_id, n in clicks_by_note.items():
        rows.setdefault(note_id, TopRow(id=note_id, title="")).clicks = n
    best = sorted(rows.values(), key=lambda r: (-r.orders, -r.clicks, -(r.id or 0)))[:TOP_MAX]
    titles = dict(Note.objects.filter(pk__in=[r.id for r in best if r.id]).values_list("pk", "title"))
    for r in best:
        r.title = titles.get(r.id or 0) or _("Untitled note")
    figures.top_notes = best
    figures.has_tags = (
        bool(rows) or Note.objects.filter(author_id=user.pk, product_tags__isnull=False).exists()
    )
    return figures


def _shop_txns(shop: Shop, since: datetime) -> Any:
    """The ledger transactions (payments and refunds) that touched `shop`'s account since `since`."""
    return LedgerEntry.objects.filter(
        account=LedgerEntry.Account.SHOP, owner_id=shop.pk, created_at__gte=since
    ).values("txn")


def shop_figures(*, shop: Shop, rng: Range) -> ShopFigures:
    """The seller dashboard of `shop` (about 9 queries, whatever the volume). Callers check access
    (haven.shops.access.staff_shop_or_404) first."""
    figures = ShopFigures(range=rng, shop=shop, series=_series(rng))
    since = rng.since
    for row in _rows(
        Order.objects.filter(shop=shop, paid_at__gte=since)
        .annotate(day=_by_day("paid_at"))
        .values("day", "currency")
        .annotate(n=Count("id"), total=Sum("total"))
    ):
        figures.orders += row["n"]
        if (p := _point(figures.series, rng, row["day"])) is not None:
            p.orders += row["n"]
            _add(p.sales, row["currency"], row["total"])
    lines = OrderLine.objects.filter(order__shop=shop, order__paid_at__gte=since)
    figures.attributed_orders = lines.filter(note_id__isnull=False).values("order_id").distinct().count()
    clicks = TagClick.objects.filter(product__shop_id=shop.pk, created_at__gte=since)
    for row in _rows(clicks.annotate(day=_by_day("created_at")).values("day").annotate(n=Count("id"))):
        figures.clicks += row["n"]
        if (p := _point(figures.series, rng, row["day"])) is not None:
            p.clicks += row["n"]
    # Money from the ledger: every line of the transactions that touched the shop's account.
    for row in _rows(
        LedgerEntry.objects.filter(txn__in=_shop_txns(shop, since))
        .values("account", "kind", "currency")
        .annotate(total=Sum("amount"))
    ):
        account, kind, currency, total = row["account"], row["kind"], row["currency"], int(row["total"])
        if account == LedgerEntry.Account.PROVIDER:
            if kind == LedgerEntry.Kind.REFUND:
                _add(figures.refunds, currency, -total)
            else:
                _add(figures.gross, currency, total)
        elif account == LedgerEntry.Account.PLATFORM:
            _add(figures.fees, currency, -total)
        elif account == LedgerEntry.Account.CREATOR:
            _add(figures.commissions, currency, -total)
        elif account == LedgerEntry.Account.SHOP:
            _add(figures.net, currency, -total)
    for row in _rows(
        LedgerEntry.objects.filter(account=LedgerEntry.Account.SHOP, owner_id=shop.pk, created_at__gte=since)
        .annotate(day=_by_day("created_at"))
        .values("day", "currency")
        .annotate(total=Sum("amount"))
    ):
        if (p := _point(figures.series, rng, row["day"])) is not None:
            _add(p.earned, row["currency"], -int(row["total"]))
    open_orders = Order.objects.filter(shop=shop, status__in=OPEN_STATUSES)
    for row in _rows(
        LedgerEntry.objects.filter(
            account=LedgerEntry.Account.SHOP, owner_id=shop.pk, reference__in=_order_refs(open_orders)
        )
        .values("currency")
        .annotate(total=Sum("amount"))
    ):
        _add(figures.pending, row["currency"], -int(row["total"]))
    # Top products.
    rows: dict[int, TopRow] = {}
    for row in _rows(
        lines.filter(product_id__isnull=False)
        .values("product_id", "order__currency")
        .annotate(
            orders=Count("order_id", distinct=True),
            units=Sum("quantity"),
            sales=Sum(_LINE_TOTAL),
            commission=Sum(_LINE_COMMISSION),
            title=Max("title"),
        )
        .order_by()[:2000]
    ):
        top = rows.setdefault(row["product_id"], TopRow(id=row["product_id"], title=row["title"]))
        top.orders += row["orders"]
        top.units += row["units"] or 0
        _add(top.sales, row["order__currency"], row["sales"])
        _add(top.commission, row["order__currency"], row["commission"])
    figures.units = int(lines.aggregate(n=Sum("quantity"))["n"] or 0)
    for product_id, n in (
        clicks.values("product_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("product_id", "n")[:200]
    ):
        rows.setdefault(product_id, TopRow(id=product_id, title="")).clicks = n
    best = sorted(rows.values(), key=lambda r: (-r.units, -r.clicks, -(r.id or 0)))[:TOP_MAX]
    missing = [r.id for r in best if not r.title and r.id]
    if missing:
        titles = dict(Product.objects.filter(pk__in=missing).values_list("pk", "title"))
        for r in best:
            r.title = r.title or titles.get(r.id or 0, "")
    figures.top_products = best
    return figures


# ---------------------------------------------------------------------------------------------------
# Statements


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return (
            datetime(self.year + 1, 1, 1, tzinfo=UTC)
            if self.month == 12
            else datetime(self.year, self.month + 1, 1, tzinfo=UTC)
        )

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


def parse_period(value: Any, *, today: date | None = None) -> Month:
    """A statement month from "YYYY-MM" (default: this month); InvalidInput invalid_period otherwise."""
    today = today or timezone.now().astimezone(UTC).date()
    if value in (None, ""):
        return Month(today.year, today.month)
    match = _PERIOD_RE.match(str(value)[:8])
    if match is None or len(str(value)) != 7:
        raise InvalidInput(
            _("Choose a month such as 2025-01."), code="invalid_period", details={"field": "period"}
        )
    month = Month(int(match.group(1)), int(match.group(2)))
    if not 2000 <= month.year <= today.year + 1:
        raise InvalidInput(
            _("Choose a month such as 2025-01."), code="invalid_period", details={"field": "period"}
        )
    return month


def recent_months(*, count: int = STATEMENT_MONTHS, today: date | None = None) -> list[Month]:
    today = today or timezone.now().astimezone(UTC).date()
    months = [Month(today.year, today.month)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


STATEMENT_HEADER = ("date", "order", "kind", "products", "notes", "amount", "currency")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")


def csv_safe(value: Any) -> str:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ (or a tab or a
    carriage return) gets a leading apostrophe. Plain decimal numbers such as -12.50 stay numbers."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r" and not _NUMBER_RE.match(text):
        return "'" + text
    return text


def _statement_lines(
    *, account: str, owner_id: int, month: Month, creator_id: int | None
) -> Iterable[tuple[Any, ...]]:
    """Ledger lines of one account in `month` with their order number, products and notes, in chunks
    (a bounded number of queries per chunk of _CHUNK lines)."""
    base = LedgerEntry.objects.filter(
        account=account, owner_id=owner_id, created_at__gte=month.start, created_at__lt=month.end
    ).order_by("id")
    last_id = 0
    seen = 0
    while seen < STATEMENT_ROWS_MAX:
        chunk = list(
            base.filter(id__gt=last_id).values_list(
                "id", "created_at", "reference", "kind", "amount", "currency"
            )[: min(_CHUNK, STATEMENT_ROWS_MAX - seen)]
        )
        if not chunk:
            return
        last_id = chunk[-1][0]
        seen += len(chunk)
        order_ids = {
            int(ref[6:]) for _i, _c, ref, *_rest in chunk if ref.startswith("order:") and ref[6:].isdigit()
        }
        numbers = dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "number"))
        products: dict[int, list[str]] = defaultdict(list)
        note_ids: dict[int, list[int]] = defaultdict(list)
        order_lines = OrderLine.objects.filter(order_id__in=order_ids)
        if creator_id is not None:
            order_lines = order_lines.filter(creator_id=creator_id)
        for order_id, title, note_id in order_lines.order_by("order_id", "id").values_list(
            "order_id", "title", "note_id"
        ):
            if title not in products[order_id]:
                products[order_id].append(title)
            if note_id and note_id not in note_ids[order_id]:
                note_ids[order_id].append(note_id)
        note_titles = dict(
            Note.objects.filter(pk__in={n for ids in note_ids.values() for n in ids}).values_list(
                "pk", "title"
            )
        )
        for _id, created_at, reference, kind, amount, currency in chunk:
            order_id = int(reference[6:]) if reference.startswith("order:") and reference[6:].isdigit() else 0
            yield (
                created_at.astimezone(UTC).date().isoformat(),
                numbers.get(order_id, reference),
                kind,
                "; ".join(products.get(order_id, [])),
                "; ".join(note_titles.get(n) or f"#{n}" for n in note_ids.get(order_id, [])),
                -int(amount),
                currency,
            )


def statement_rows(
    *, account: str, owner_id: int, month: Month, creator_id: int | None = None
) -> list[list[str]]:
    """The CSV rows of one account's statement for `month`: a header, one row per ledger line (the
    amount from the holder's side: credits positive, refunds negative, as a major-unit decimal), then
    a totals row per currency. At most STATEMENT_ROWS_MAX lines; a longer month ends with a note."""
    rows: list[list[str]] = [list(STATEMENT_HEADER)]
    totals: Money = {}
    count = 0
    for day, number, kind, products, notes, amount, currency in _statement_lines(
        account=account, owner_id=owner_id, month=month, creator_id=creator_id
    ):
        count += 1
        _add(totals, currency, amount)
        rows.append(
            [
                csv_safe(day),
                csv_safe(number),
                csv_safe(kind),
                csv_safe(products),
                csv_safe(notes),
                to_major_string(amount, currency),
                csv_safe(currency),
            ]
        )
    for currency in sorted(totals):
        rows.append(["", "", "total", "", "", to_major_string(totals[currency], currency), currency])
    if count >= STATEMENT_ROWS_MAX:
        rows.append(
            [
                "",
                "",
                csv_safe(_("truncated: at most %(n)d lines") % {"n": STATEMENT_ROWS_MAX}),
                "",
                "",
                "",
                "",
            ]
        )
    return rows


def statement_csv(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def creator_statement(*, user: Any, month: Month) -> str:
    """The CSV statement of `user`'s commission account for `month`."""
    return statement_csv(
        statement_rows(account=LedgerEntry.Account.CREATOR, owner_id=user.pk, month=month, creator_id=user.pk)
    )


def shop_statement(*, shop: Shop, month: Month) -> str:
    """The CSV statement of `shop`'s net account for `month` (callers check access first)."""
    return statement_csv(statement_rows(account=LedgerEntry.Account.SHOP, owner_id=shop.pk, month=month))
