"""Moderation reads: queue rows, the review screen's facts, a member's reports and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from haven.core import reportables
from haven.core.errors import HavenError
from haven.moderation.models import AuditEntry, Case, ReportReason, Sanction

QUEUE_PAGE = 50


@dataclass
class QueueRow:
    case: Case
    target: reportables.Target | None
    overdue: bool


def describe(case: Case) -> reportables.Target | None:
    reportable = reportables.get(case.target_kind)
    obj = reportable.load(case.target_id) if reportable else None
    return reportable.describe(obj) if reportable and obj is not None else None


def queue_rows(cases: QuerySet[Case], *, limit: int = QUEUE_PAGE) -> list[QueueRow]:
    """The first `limit` cases by priority, then age, each with its target described."""
    now = timezone.now()
    rows = list(cases.select_related("reason", "assigned_to").order_by("-priority", "opened_at")[:limit])
    return [QueueRow(case=c, target=describe(c), overdue=bool(c.due_at and c.due_at < now)) for c in rows]


def queue_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """How many cases wait per language queue (and "unstaffed")."""
    counts = {
        row["language"]: row["n"] for row in cases.values("language").annotate(n=Count("id")).order_by()
    }
    counts["unstaffed"] = cases.filter(unstaffed=True).count()
    return counts


def language_name(code: str) -> str:
    """A queue's name: the language's own name where Haven knows it."""
    from django.utils.translation import gettext

    names = {"en": "English", "zh": "中文", "und": gettext("Unknown language")}
    return names.get(code, code)


def translation_for(target: reportables.Target, *, moderator: Any, language: str) -> dict[str, str]:
    """The target's text machine-translated into the moderator's language: {"text", "provider", "error"}."""
    from haven.translation.services import translate_texts

    if not target.text.strip():
        return {"text": "", "provider": "", "error": ""}
    try:
        result = translate_texts(
            texts=[target.text],
            source=target.language,
            target=language,
            user=moderator,
            private=not target.is_public,
        )[0]
    except HavenError as exc:
        return {"text": "", "provider": "", "error": exc.message}
    if result.not_needed:
        return {"text": "", "provider": "", "error": ""}
    return {"text": result.text, "provider": result.provider, "error": ""}


def author_history(author_id: int | None) -> dict[str, Any]:
    """What a moderator should know of the author: account age, prior cases and sanctions."""
    if not author_id:
        return {}
    from haven.accounts.models import User

    author = User.objects.filter(pk=author_id).first()
    if author is None:
        return {}
    sanctions = list(Sanction.objects.filter(member_id=author_id).order_by("-created_at")[:20])
    cases = Case.objects.filter(target_author_id=author_id)
    return {
        "author": author,
        "age_days": (timezone.now() - author.date_joined).days,
        "sanctions": sanctions,
        "strikes": sum(1 for s in sanctions if s.strike and s.revoked_at is None),
        "cases_total": cases.count(),
        "cases_actioned": cases.filter(state__in=("actioned", "appealed", "upheld")).count(),
    }


def reasons(*, active_only: bool = True) -> QuerySet[ReportReason]:
    qs = ReportReason.objects.all()
    return qs.filter(active=True) if active_only else qs


def audit_page(*, before: int | None = None, limit: int = 100) -> list[AuditEntry]:
    qs = AuditEntry.objects.select_related("actor").order_by("-pk")
    if before:
        qs = qs.filter(pk__lt=before)
    return list(qs[: max(1, min(limit, 200))])
