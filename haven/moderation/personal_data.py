"""Moderation's entries in the personal-data registry: reports, decisions, appeals, roles, audit log.

What a member made (reports, appeals) and what was decided about them (cases, sanctions) is exported.
On erasure, reports and appeals lose their author and text, cases and sanctions about the member are
deleted with the account, and the records staff need for accountability (transitions, the append-only
audit log, internal notes) are kept without the member.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.moderation.models import (
    Appeal,
    AuditEntry,
    BlockedImageHash,
    Case,
    CaseNote,
    CaseTransition,
    Report,
    Sanction,
    StaffRole,
)
from haven.notes.personal_data import iso

SECTION = "reports_and_decisions"
WORK = "moderation_work"


def _reports(user: Any) -> Iterator[dict[str, Any]]:
    for r in Report.objects.filter(reporter=user).select_related("case", "reason").order_by("pk"):
        yield {
            "id": r.pk,
            "what": f"{r.case.target_kind} {r.case.target_id}",
            "reason": r.reason.code,
            "text": r.text,
            "created_at": iso(r.created_at),
            "outcome": r.case.state,
        }


def _erase_reports(user: Any) -> int:
    return Report.objects.filter(reporter=user).update(reporter=None, text="")


def _cases(user: Any) -> Iterator[dict[str, Any]]:
    for c in Case.objects.filter(target_author=user).order_by("pk"):
        yield {
            "id": c.pk,
            "what": f"{c.target_kind} {c.target_id}",
            "state": c.state,
            "action": c.action,
            "reason": c.decision_reason,
            "opened_at": iso(c.opened_at),
            "decided_at": iso(c.decided_at),
            "held_before_review": c.held,
        }


def _erase_cases(user: Any) -> int:
    n = Case.objects.filter(target_author=user).update(target_author=None)
    n += Case.objects.filter(assigned_to=user).update(assigned_to=None)
    n += Case.objects.filter(decided_by=user).update(decided_by=None)
    return n


def _sanctions(user: Any) -> Iterator[dict[str, Any]]:
    for s in Sanction.objects.filter(member=user).order_by("pk"):
        yield {
            "id": s.pk,
            "kind": s.kind,
            "reason": s.reason,
            "strike": s.strike,
            "until": iso(s.until),
            "created_at": iso(s.created_at),
            "revoked_at": iso(s.revoked_at),
        }


def _appeals(user: Any) -> Iterator[dict[str, Any]]:
    for a in Appeal.objects.filter(appellant=user).order_by("pk"):
        yield {
            "id": a.pk,
            "case": a.case_id,
            "text": a.text,
            "outcome": a.outcome,
            "created_at": iso(a.created_at),
            "decided_at": iso(a.decided_at),
        }


def _erase_appeals(user: Any) -> int:
    n = Appeal.objects.filter(appellant=user).update(appellant=None, text="")
    return n + Appeal.objects.filter(reviewer=user).update(reviewer=None)


def _roles(user: Any) -> Iterator[dict[str, Any]]:
    for r in StaffRole.objects.filter(user=user):
        yield {"id": r.pk, "role": r.role, "languages": r.languages, "created_at": iso(r.created_at)}


def _case_notes(user: Any) -> Iterator[dict[str, Any]]:
    for n in CaseNote.objects.filter(author=user).order_by("pk"):
        yield {"id": n.pk, "case": n.case_id, "text": n.text, "created_at": iso(n.created_at)}


def _erase_case_notes(user: Any) -> int:
    return CaseNote.objects.filter(author=user).update(author=None)


def _erase_transitions(user: Any) -> int:
    return CaseTransition.objects.filter(actor=user).update(actor=None)


def _audit(user: Any) -> Iterator[dict[str, Any]]:
    for e in AuditEntry.objects.filter(actor_id=user.pk).order_by("pk"):
        yield {
            "id": e.pk,
            "at": iso(e.at),
            "action": e.action,
            "case": e.case_id_ref,
            "target_kind": e.target_kind,
        }


def _keep_audit(user: Any) -> int:
    return 0  # append-only: the rows keep the member's number (no constraint, no name)


def _erase_hashes(user: Any) -> int:
    return BlockedImageHash.objects.filter(added_by=user).update(added_by=None)


def register_all() -> None:
    personal_data.register(
        Report,
        section=SECTION,
        owner_fields=["reporter"],
        exporter=_reports,
        eraser=_erase_reports,
        personal_fields=["text"],
        kept="Reports you made stay with the case they belong to, without your account and "
        "without your text.",
    )
    personal_data.register(
        Case,
        section=SECTION,
        owner_fields=["target_author"],
        other_user_fields=["assigned_to", "decided_by"],
        exporter=_cases,
        eraser=_erase_cases,
        kept="Moderation cases about removed content are kept for the transparency report, "
        "without the account.",
    )
    personal_data.register(
        Sanction,
        section=SECTION,
        owner_fields=["member"],
        exporter=_sanctions,
        eraser=personal_data.rows_deleter(Sanction, "member"),
    )
    personal_data.register(
        Appeal,
        section=SECTION,
        owner_fields=["appellant"],
        other_user_fields=["reviewer"],
        exporter=_appeals,
        eraser=_erase_appeals,
        personal_fields=["text"],
        kept="Appeal outcomes are kept for the transparency report, without your account and your text.",
    )
    personal_data.register(
        StaffRole,
        section=WORK,
        owner_fields=["user"],
        exporter=_roles,
        eraser=personal_data.rows_deleter(StaffRole),
    )
    personal_data.register(
        CaseNote,
        section=WORK,
        owner_fields=["author"],
        exporter=_case_notes,
        eraser=_erase_case_notes,
        kept="Internal notes on cases stay with the case, without the moderator's account.",
    )
    personal_data.register(
        CaseTransition,
        section=WORK,
        owner_fields=[],
        other_user_fields=["actor"],
        exporter=None,
        eraser=_erase_transitions,
        kept="Case histories stay, without the account that moved the case.",
    )
    personal_data.register(
        AuditEntry,
        section=WORK,
        owner_fields=["actor"],
        exporter=_audit,
        eraser=_keep_audit,
        kept="The moderation audit log is append-only: a moderator's entries keep their member number.",
    )
    personal_data.register(
        BlockedImageHash,
        section=WORK,
        owner_fields=[],
        other_user_fields=["added_by"],
        exporter=None,
        eraser=_erase_hashes,
    )
