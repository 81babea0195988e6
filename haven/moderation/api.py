"""JSON API of moderation (mounted by config.api at /api/v1/moderation): members report and appeal,
moderators work their queues. Every endpoint checks access (moderation.access) and calls one service."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field as NinjaField
from ninja import Path, Query, Router, Schema, Status

from haven.core.openapi import errors
from haven.moderation import access, selectors, services
from haven.moderation.models import Case, Report
from haven.moderation.schemas import (
    MAX_ID,
    AppealDecideIn,
    AppealIn,
    CaseDetailOut,
    CaseOut,
    CasePageOut,
    DecideIn,
    DecisionOut,
    ReasonOut,
    ReportIn,
    ReportOut,
    VersionIn,
)

router = Router(tags=["moderation"])
Id = Path(..., ge=1, le=MAX_ID)


class QueueQuery(Schema):
    language: str | None = NinjaField(None, max_length=12, description='A language code, or "unstaffed"')
    limit: int = NinjaField(50, ge=1, le=100)


def _outcome(case: Case) -> str:
    if case.state in ("actioned", "appealed", "upheld"):
        return "actioned"
    if case.state in ("dismissed", "overturned"):
        return "not_actioned"
    return "in_review" if case.state == "in_review" else "waiting"


def _report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "case_id": report.case_id,
        "kind": report.case.target_kind,
        "target_id": report.case.target_id,
        "reason": report.reason.code,
        "created_at": report.created_at,
        "outcome": _outcome(report.case),
    }


def _target_out(target: Any) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "kind": target.kind,
        "id": target.pk,
        "author_id": target.author_id,
        "text": target.text,
        "language": target.language,
        "title": target.title,
        "url": target.url,
        "state": target.state,
        "sensitive": target.sensitive,
        "is_public": target.is_public,
        "reach": target.reach,
    }


def _case_out(case: Case, target: Any = None) -> dict[str, Any]:
    return {
        "id": case.pk,
        "state": case.state,
        "version": case.version,
        "language": case.language,
        "source": case.source,
        "reason": case.reason.code if case.reason_id and case.reason else None,
        "severity": case.severity,
        "priority": case.priority,
        "report_count": case.report_count,
        "held": case.held,
        "unstaffed": case.unstaffed,
        "scores": {k: float(v) for k, v in (case.scores or {}).items()},
        "opened_at": case.opened_at,
        "due_at": case.due_at,
        "assigned_to": case.assigned_to_id,
        "action": case.action,
        "target": _target_out(target),
    }


@router.get("/reasons", response=list[ReasonOut], summary="Report reasons, in my language")
def reasons(request: HttpRequest) -> list[dict[str, Any]]:
    language = get_language() or "en"
    return [{"code": r.code, "label": r.label(language), "severity": r.severity} for r in selectors.reasons()]


@router.post(
    "/reports", response={201: ReportOut, **errors(400, 404, 409, 422, 429)}, summary="Report something"
)
def report(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    created = services.report_create(
        reporter=request.auth,  # type: ignore[attr-defined]
        kind=payload.kind,
        target_id=payload.target_id,
        reason=payload.reason,
        text=payload.text,
    )
    return Status(201, _report_out(Report.objects.select_related("case", "reason").get(pk=created.pk)))


@router.get("/reports/mine", response=list[ReportOut], summary="My reports and what happened")
def my_reports(request: HttpRequest) -> list[dict[str, Any]]:
    return [_report_out(r) for r in access.reports_of(request.auth)[:100]]  # type: ignore[attr-defined]


@router.get("/decisions/mine", response=list[DecisionOut], summary="Decisions about my content")
def my_decisions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "case_id": c.pk,
            "kind": c.target_kind,
            "target_id": c.target_id,
            "state": c.state,
            "action": c.action,
            "reason": c.decision_reason or (c.reason.code if c.reason else ""),
            "held": c.held,
            "decided_at": c.decided_at,
            "appealable": c.state == "actioned",
        }
        for c in access.decisions_about(request.auth)[:100]  # type: ignore[attr-defined]
    ]


@router.post(
    "/decisions/{case_id}/appeal",
    response={201: DecisionOut, **errors(404, 409, 422)},
    summary="Appeal a decision",
)
def appeal(request: HttpRequest, payload: AppealIn, case_id: int = Id) -> Status[dict[str, Any]]:
    services.appeal_create(member=request.auth, case_id=case_id, text=payload.text)  # type: ignore[attr-defined]
    case = Case.objects.get(pk=case_id)
    return Status(
        201,
        {
            "case_id": case.pk,
            "kind": case.target_kind,
            "target_id": case.target_id,
            "state": case.state,
            "action": case.action,
            "reason": case.decision_reason,
            "held": case.held,
            "decided_at": case.decided_at,
            "appealable": False,
        },
    )


# ----------------------------------------------------------------------------------------------
# Moderators


@router.get("/queue", response={200: CasePageOut, **errors(404)}, summary="My queues, highest priority first")
def queue(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    cases = access.queue_cases(request.auth, language=query.language)  # type: ignore[attr-defined]
    rows = selectors.queue_rows(cases, limit=query.limit)
    return {"items": [_case_out(r.case, r.target) for r in rows]}


@router.get(
    "/cases/{case_id}", response={200: CaseDetailOut, **errors(404)}, summary="A case, with its translation"
)
def case_detail(request: HttpRequest, case_id: int = Id) -> dict[str, Any]:
    moderator = request.auth  # type: ignore[attr-defined]
    case = access.case_for_moderator(moderator, case_id)
    target = selectors.describe(case)
    services.case_view_record(moderator=moderator, case=case, target=target)
    translation = (
        selectors.translation_for(target, moderator=moderator, language=get_language() or "en")
        if target
        else {}
    )
    return {
        **_case_out(case, target),
        "translation": translation.get("text", ""),
        "translation_error": translation.get("error", ""),
    }


@router.post(
    "/cases/{case_id}/claim", response={200: CaseOut, **errors(404, 409)}, summary="Take a case into review"
)
def claim(request: HttpRequest, payload: VersionIn, case_id: int = Id) -> dict[str, Any]:
    case = services.case_claim(moderator=request.auth, case_id=case_id, version=payload.version)  # type: ignore[attr-defined]
    return _case_out(case)


@router.post(
    "/cases/{case_id}/decide", response={200: CaseOut, **errors(404, 409, 422)}, summary="Decide a case"
)
def decide(request: HttpRequest, payload: DecideIn, case_id: int = Id) -> dict[str, Any]:
    case = services.case_decide(
        moderator=request.auth,  # type: ignore[attr-defined]
        case_id=case_id,
        action=payload.action,
        reason=payload.reason,
        note=payload.note,
        suspend_days=payload.suspend_days,
        version=payload.version,
    )
    return _case_out(case)


@router.post(
    "/cases/{case_id}/appeal-decision",
    response={200: CaseOut, **errors(403, 404, 409, 422)},
    summary="Decide an appeal (another moderator)",
)
def appeal_decision(request: HttpRequest, payload: AppealDecideIn, case_id: int = Id) -> dict[str, Any]:
    case = services.appeal_decide(
        moderator=request.auth,  # type: ignore[attr-defined]
        case_id=case_id,
        outcome=payload.outcome,
        note=payload.note,
        version=payload.version,
    )
    return _case_out(case)
