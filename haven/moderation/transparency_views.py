"""The public transparency report pages: one month as HTML (server-drawn SVG charts), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from haven.accounts.forms import LANGUAGE_AUTONYMS
from haven.moderation import transparency

CACHE_SECONDS = 600  # the figures and the responses are cached for 10 minutes
CHART_WIDTH = 320  # SVG user units; the chart scales to its box (viewBox, width 100%)
CHART_ROW = 36
CHART_TOP = 4
LABEL_MAX = 34  # display columns (a CJK character takes two) before a chart label is cut
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ----------------------------------------------------------------------------------------------
# Data (cached)


def _first_month() -> str:
    """The first case's month ("" when there is none), cached."""
    found = cache.get("moderation:transparency:first")
    if found is None:
        found = transparency.first_month() or ""
        cache.set("moderation:transparency:first", found, CACHE_SECONDS)
    return str(found)


def _months() -> list[str]:
    """The months with a report, newest first (at most 36), cached."""
    months = cache.get("moderation:transparency:months")
    if months is None:
        months = transparency.months_available()
        cache.set("moderation:transparency:months", months, CACHE_SECONDS)
    return list(months)


def _report_or_404(month: str) -> dict[str, Any]:
    first = _first_month() or transparency.month_key(timezone.now())
    if not transparency.month_is_available(month, first=first):
        raise Http404
    key = f"moderation:transparency:v{transparency.SCHEMA_VERSION}:{month}"
    report = cache.get(key)
    if report is None:
        report = transparency.month_report(month)
        cache.set(key, report, CACHE_SECONDS)
    return dict(report)


def _cacheable(response: HttpResponse, *, public: bool) -> HttpResponse:
    """10 minutes in the browser; CSV and JSON (public figures; the middleware adds Vary: Accept-Language,
    Cookie for the CSV's labels) in shared caches too. The HTML page carries the visitor's CSRF token and
    navigation, so only their own browser keeps it."""
    if public:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


# ----------------------------------------------------------------------------------------------
# Labels in the reader's language


def _zh() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def reason_label(row: dict[str, Any]) -> str:
    return str((row["label_zh"] if _zh() else row["label_en"]) or row["code"])


def language_label(code: str) -> str:
    if code in ("", "und"):
        return _("Unknown language")
    return LANGUAGE_AUTONYMS.get(code, code)


def source_label(key: str) -> str:
    return {
        "report": _("Member reports"),
        "classifier": _("Automatic text screening"),
        "surge": _("Spam-wave detection"),
        "image": _("Automatic image screening"),
    }.get(key, _("Other"))


def action_label(key: str) -> str:
    return {
        "remove": _("Removed"),
        "limit": _("Limited reach"),
        "label": _("Marked as sensitive"),
        "suspend": _("Account suspended"),
        "dismiss": _("No violation found"),
    }.get(key, _("Other"))


def _number(value: int) -> str:
    return str(number_format(value, use_l10n=True, force_grouping=True))


def _percent(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{number_format(round(ratio * 100, 1), decimal_pos=1, use_l10n=True)}%"


def duration_label(hours: float | None) -> str:
    """Hours as "45 min", "5.5 h" or "3.2 days"; "—" when there is nothing to measure."""
    if hours is None:
        return "—"
    if hours < 1:
        return _("%(n)s min") % {"n": max(1, round(hours * 60)) if hours > 0 else 0}
    if hours < 48:
        return _("%(n)s h") % {"n": number_format(round(hours, 1), decimal_pos=1, use_l10n=True)}
    return _("%(n)s days") % {"n": number_format(round(hours / 24, 1), decimal_pos=1, use_l10n=True)}


def _clip(text: str, limit: int = LABEL_MAX) -> str:
    """`text` cut to `limit` display columns (wide characters count two), with an ellipsis when cut."""
    width = 0
    out: list[str] = []
    for char in text:
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if width > limit - 1:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return text


# ----------------------------------------------------------------------------------------------
# Charts


def chart(slug: str, title: str, rows: list[tuple[str, int]]) -> dict[str, Any]:
    """A horizontal bar chart drawn on the server: rows of (label, count), longest bar = largest count."""
    top = max((count for _label, count in rows), default=0)
    drawn = []
    for index, (label, count) in enumerate(rows):
        y = CHART_TOP + index * CHART_ROW
        width = 0.0 if not top or not count else max(CHART_WIDTH * count / top, 2.0)
        drawn.append(
            {
                "label": label,
                "short": _clip(label),
                "value": count,
                "display": _number(count),
                "text_y": y + 14,
                "bar_y": y + 20,
                "width": f"{width:.1f}",
            }
        )
    return {
        "id": f"chart-{slug}",
        "title": title,
        "description": "; ".join(f"{r['label']}: {r['display']}" for r in drawn) or _("No data"),
        "rows": drawn,
        "empty": not top,
        "width": CHART_WIDTH,
        "height": CHART_TOP + max(len(drawn), 1) * CHART_ROW,
    }


def _charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    decisions = report["decisions"]
    return [
        chart(
            "reasons",
            _("Reports by category"),
            [(reason_label(r), r["count"]) for r in report["reports"]["by_reason"]],
        ),
        chart(
            "languages",
            _("Reports by language"),
            [(language_label(r["code"]), r["count"]) for r in report["reports"]["by_language"]],
        ),
        chart(
            "sources",
            _("Cases opened, by how they were found"),
            [(source_label(r["key"]), r["count"]) for r in report["cases"]["by_source"]],
        ),
        chart(
            "actions",
            _("Decisions by action"),
            [(action_label(r["key"]), r["count"]) for r in decisions["by_action"]],
        ),
        chart(
            "deciders",
            _("Who decided"),
            [
                (_("Automated"), decisions["automated"]),
                (_("Moderators"), decisions["human"]),
                (_("Held, awaiting review"), decisions["held_awaiting_review"]),
            ],
        ),
    ]


def _headline(report: dict[str, Any]) -> list[dict[str, str]]:
    decisions, appeals, took = report["decisions"], report["appeals"], report["time_to_action_hours"]
    return [
        {"key": "reports", "label": _("Reports"), "value": _number(report["reports"]["total"]), "note": ""},
        {
            "key": "actions",
            "label": _("Actions taken"),
            "value": _number(decisions["actions"]),
            "note": _("of %(n)s decisions") % {"n": _number(decisions["total"])},
        },
        {
            "key": "automated",
            "label": _("Decided automatically"),
            "value": _percent(decisions["automated_share"]),
            "note": _("%(n)s of %(total)s decisions")
            % {"n": _number(decisions["automated"]), "total": _number(decisions["total"])},
        },
        {
            "key": "median",
            "label": _("Median time to action"),
            "value": duration_label(took["median"]),
            "note": _("90%% within %(time)s") % {"time": duration_label(took["p90"])} if took["p90"] else "",
        },
        {
            "key": "reversal",
            "label": _("Reversed on appeal"),
            "value": _percent(appeals["reversal_rate"]),
            "note": _("%(n)s of %(total)s appeals decided")
            % {"n": _number(appeals["overturned"]), "total": _number(appeals["decided"])},
        },
    ]


# ----------------------------------------------------------------------------------------------
# Views


def _month_date(month: str) -> date:
    parsed = transparency.parse_month(month)
    assert parsed is not None
    return date(parsed[0], parsed[1], 1)


@require_safe
def transparency_view(request: HttpRequest, month: str | None = None) -> HttpResponse:
    """The month's report (the current month at /transparency/): figures, charts, downloads."""
    months = _months()
    month = month or months[0]
    report = _report_or_404(month)
    index = months.index(month) if month in months else -1
    context = {
        "month": month,
        "month_date": _month_date(month),
        "report": report,
        "months": [(m, _month_date(m)) for m in months],
        "newer": months[index - 1] if index > 0 else None,
        "older": months[index + 1] if 0 <= index < len(months) - 1 else None,
        "headline": _headline(report),
        "charts": _charts(report),
        "time_to_action": {
            "median": duration_label(report["time_to_action_hours"]["median"]),
            "p90": duration_label(report["time_to_action_hours"]["p90"]),
        },
        "reversal_rate": _percent(report["appeals"]["reversal_rate"]),
        "generated": str(report["generated_at"])[:16].replace("T", " "),
    }
    return _cacheable(render(request, "moderation/transparency.html", context), public=False)


def csv_rows(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """One (section, key, label, value) row per figure; labels in the active language."""
    decisions, appeals, took = report["decisions"], report["appeals"], report["time_to_action_hours"]
    rows: list[tuple[str, str, str, Any]] = [
        ("period", "month", _("Month"), report["month"]),
        ("period", "complete", _("Month complete"), "yes" if report["complete"] else "no"),
        ("reports", "total", _("Reports"), report["reports"]["total"]),
    ]
    rows += [
        ("reports_by_reason", r["code"], reason_label(r), r["count"]) for r in report["reports"]["by_reason"]
    ]
    rows += [
        ("reports_by_language", r["code"], language_label(r["code"]), r["count"])
        for r in report["reports"]["by_language"]
    ]
    rows.append(("cases", "opened", _("Cases opened"), report["cases"]["opened"]))
    rows += [
        ("cases_by_source", r["key"], source_label(r["key"]), r["count"])
        for r in report["cases"]["by_source"]
    ]
    rows += [
        (
            "cases",
            "held_awaiting_review",
            _("Held, awaiting review"),
            report["cases"]["held_awaiting_review"],
        ),
        ("decisions", "total", _("Decisions"), decisions["total"]),
        ("decisions", "actions", _("Actions taken"), decisions["actions"]),
    ]
    rows += [
        ("decisions_by_action", r["key"], action_label(r["key"]), r["count"]) for r in decisions["by_action"]
    ]
    rows += [
        ("decisions", "automated", _("Automated"), decisions["automated"]),
        ("decisions", "human", _("Moderators"), decisions["human"]),
        ("decisions", "automated_share", _("Decided automatically"), _blank(decisions["automated_share"])),
        ("time_to_action", "decided", _("Decisions measured"), took["decided"]),
        ("time_to_action", "median_hours", _("Median time to action (hours)"), _blank(took["median"])),
        ("time_to_action", "p90_hours", _("90th percentile time to action (hours)"), _blank(took["p90"])),
        ("appeals", "filed", _("Appeals filed"), appeals["filed"]),
        ("appeals", "decided", _("Appeals decided"), appeals["decided"]),
        ("appeals", "upheld", _("Decision upheld"), appeals["upheld"]),
        ("appeals", "overturned", _("Decision overturned"), appeals["overturned"]),
        ("appeals", "reversal_rate", _("Reversal rate"), _blank(appeals["reversal_rate"])),
        ("suspensions", "total", _("Suspensions"), report["suspensions"]["total"]),
        ("suspensions", "members", _("Members suspended"), report["suspensions"]["members"]),
    ]
    return rows


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _cell(value: Any) -> Any:
    """A cell Excel will not run as a formula (operator-written labels could start with "=")."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


@require_safe
def transparency_csv_view(request: HttpRequest, month: str) -> HttpResponse:
    """The month's figures as CSV: section, key, label, value (UTF-8 with a BOM, for Excel)."""
    report = _report_or_404(month)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["section", "key", "label", "value"])
    for row in csv_rows(report):
        writer.writerow([_cell(cell) for cell in row])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="transparency-{month}.csv"'
    return _cacheable(response, public=True)


@require_safe
def transparency_json_view(request: HttpRequest, month: str) -> HttpResponse:
    """The month's report as JSON (the dict of moderation.transparency.month_report)."""
    report = _report_or_404(month)
    response = HttpResponse(
        json.dumps(report, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    return _cacheable(response, public=True)
