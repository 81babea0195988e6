"""Trust-and-safety writes: reports, cases and their lifecycle, decisions, sanctions, appeals, audit.

Every case transition is compare-and-set on (state, version) and leaves a CaseTransition row; every
moderator action and every moderator view of non-public content leaves an AuditEntry (append-only).
Content is changed only through the owning app's callbacks in core.reportables.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.services import user_suspend, user_unsuspend
from haven.core import ratelimit, reportables
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from haven.core.reportables import ModerationState
from haven.core.staff_audit import record_staff_access
from haven.core.transactions import after_commit
from haven.moderation import access, policy
from haven.moderation.models import (
    APPEAL_TEXT_MAX,
    NOTE_TEXT_MAX,
    REPORT_TEXT_MAX,
    Appeal,
    AuditEntry,
    Case,
    CaseNote,
    CaseTransition,
    ClusterItem,
    ContentCluster,
    Report,
    ReportReason,
    Sanction,
    StaffRole,
)
from haven.moderation.states import CASE, OPEN_STATES
from haven.notifications.services import notify_safety

Action = Case.Action


# ----------------------------------------------------------------------------------------------
# Audit


def audit(
    *,
    actor: Any,
    action: str,
    case: Case | None = None,
    target_kind: str = "",
    target_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Append one audit row (the only write the audit log ever gets)."""
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_role=access.role_of(actor) or ("system" if actor is None else ""),
        action=action[:40],
        case_id_ref=case.pk if case else None,
        target_kind=(target_kind or (case.target_kind if case else ""))[:20],
        target_id=target_id if target_id is not None else (case.target_id if case else None),
        detail={k: v for k, v in detail.items() if v not in (None, "")},
    )


# ----------------------------------------------------------------------------------------------
# Helpers


def _reportable(kind: str) -> reportables.Reportable:
    found = reportables.get(kind)
    if found is None:
        raise InvalidInput(_("That cannot be reported."), code="invalid_target_kind")
    return found


def _clean(text: str | None, limit: int, code: str) -> str:
    """Member text: NUL and outer whitespace stripped; InvalidInput `code` past `limit` characters."""
    value = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise InvalidInput(
            _("That text is too long (at most %(limit)d characters).") % {"limit": limit},
            code=code,
            details={"max_length": limit},
        )
    return value


def _reason(code: str | None, *, required: bool = True) -> ReportReason | None:
    if not code and not required:
        return None
    reason = ReportReason.objects.filter(code=(code or "")[:40], active=True).first()
    if reason is None:
        raise InvalidInput(_("Choose a reason from the list."), code="invalid_reason")
    return reason


def _check_version(case: Case, version: int | None) -> None:
    """Conflict `case_changed` when the caller saw another version of the case than the stored one."""
    if version is not None and case.version != version:
        raise Conflict(
            _("Someone else changed this case first. Reload it to see what happened."), code="case_changed"
        )


def _transition(case: Case, *, dst: str, actor: Any, detail: str = "", **updates: Any) -> Case:
    """Compare-and-set `case` from its loaded (state, version) to `dst`; Conflict when someone else won."""
    CASE.check(case.state, dst)
    now = timezone.now()
    if dst not in OPEN_STATES and "closed_at" not in updates and dst != "appealed":
        updates["closed_at"] = now
    moved = Case.objects.filter(pk=case.pk, state=case.state, version=case.version).update(
        state=dst, version=F("version") + 1, **updates
    )
    if not moved:
        raise Conflict(
            _("Someone else changed this case first. Reload it to see what happened."), code="case_changed"
        )
    CaseTransition.objects.create(
        case=case, src=case.state, dst=dst, actor_id=getattr(actor, "pk", None), detail=detail[:200]
    )
    case.refresh_from_db()
    return case


def _apply_state(case: Case, state: str, reason: str) -> None:
    reportable = reportables.get(case.target_kind)
    if reportable is None or reportable.set_state is None:
        return
    obj = reportable.load(case.target_id)
    if obj is not None:
        reportable.set_state(obj, state, reason)


def _apply_sensitive(case: Case, flag: bool) -> None:
    reportable = reportables.get(case.target_kind)
    if reportable is None or reportable.set_sensitive is None:
        return
    obj = reportable.load(case.target_id)
    if obj is not None:
        reportable.set_sensitive(obj, flag)


def _unstaffed(language: str) -> bool:
    base = access.base_language(language)
    return base not in access.staffed_languages()


def _reprioritize(case_id: int) -> None:
    case = Case.objects.get(pk=case_id)
    trusted = case.reports.filter(trusted=True).exists()
    Case.objects.filter(pk=case_id).update(
        priority=policy.priority_of(
            severity=case.severity,
            reach=case.reach,
            report_count=case.report_count,
            trusted=trusted,
            held=case.held,
        )
    )


def _open_case(
    *,
    kind: str,
    target: reportables.Target,
    source: str,
    reason: ReportReason | None,
    scores: dict[str, float],
) -> tuple[Case, bool]:
    """The target's open case, or a new one (the unique constraint merges concurrent openings)."""
    existing = Case.objects.filter(target_kind=kind, target_id=target.pk, state__in=OPEN_STATES).first()
    if existing is not None:
        return existing, False
    severity = reason.severity if reason else 2
    language = access.base_language(target.language)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                target_kind=kind,
                target_id=target.pk,
                target_author_id=target.author_id,
                language=language,
                source=source,
                reason=reason,
                severity=severity,
                reach=target.reach,
                scores=scores,
                unstaffed=_unstaffed(language),
                due_at=timezone.now() + policy.sla_for(severity),
            )
            CaseTransition.objects.create(case=case, src="", dst="open", detail=source)
    except IntegrityError:
        found = Case.objects.filter(target_kind=kind, target_id=target.pk, state__in=OPEN_STATES).first()
        if found is None:
            raise
        return found, False
    return case, True


def _hold(case: Case, *, reason: str) -> None:
    """Hold the case's content before distribution (only content that is still visible)."""
    reportable = reportables.get(case.target_kind)
    if reportable is None or reportable.set_state is None:
        return
    obj = reportable.load(case.target_id)
    if obj is None or reportable.describe(obj).state != ModerationState.OK:
        return
    reportable.set_state(obj, ModerationState.HELD, reason)
    Case.objects.filter(pk=case.pk).update(held=True)
    case.held = True
    if case.target_author_id:
        Sanction.objects.create(
            member_id=case.target_author_id,
            case=case,
            kind=Sanction.Kind.HOLD,
            target_kind=case.target_kind,
            target_id=case.target_id,
            reason=reason,
        )


# ----------------------------------------------------------------------------------------------
# Reports


#: Lines of surrounding context kept with a report (messages before and after the reported one).
EVIDENCE_LINES = 11


def _evidence(target: Any) -> dict[str, Any]:
    """A copy of what the reporter saw, for kinds that offer context (private messages): the sender
    could unsend it before a moderator looks. Other kinds stay readable through the registry."""
    context = target.extra.get("context") if isinstance(target.extra, dict) else None
    if not context:
        return {}
    lines = [
        {
            "sender": str(line.get("sender", ""))[:40],
            "text": str(line.get("text", ""))[:500],
            "reported": bool(line.get("reported")),
        }
        for line in list(context)[:EVIDENCE_LINES]
    ]
    return {"text": target.text[:4000], "context": lines}


def report_create(*, reporter: Any, kind: str, target_id: Any, reason: str, text: str = "") -> Report:
    """Report something the reporter can see. Reports on the same target join its open case.

    Errors: invalid_target_kind, not_found (missing or not visible), invalid_reason, report_text_too_long,
    cannot_report_self, already_reported (409), rate_limited (429).
    """
    reportable = _reportable(kind)
    try:
        pk = int(target_id)
    except (TypeError, ValueError):
        raise NotFound(_("That is gone or you cannot see it.")) from None
    chosen = _reason(reason)
    assert chosen is not None
    already = Report.objects.filter(
        reporter=reporter, case__target_kind=kind, case__target_id=pk, case__state__in=OPEN_STATES
    )
    if 1 <= pk < 2**63 and already.exists():  # (held since, perhaps: the reporter knows it exists)
        raise Conflict(
            _("You already reported this. We will let you know what happens."), code="already_reported"
        )
    obj = reportable.visible_to(reporter, pk) if 1 <= pk < 2**63 else None
    if obj is None:
        raise NotFound(_("That is gone or you cannot see it."))
    target = reportable.describe(obj)
    if target.author_id == reporter.pk:
        raise InvalidInput(_("You cannot report your own content."), code="cannot_report_self")
    body = _clean(text, REPORT_TEXT_MAX, "report_text_too_long")
    trusted = access.is_trusted_reporter(reporter)
    limit = policy.REPORTS_PER_HOUR * (5 if trusted else 1)
    ratelimit.hit("report", str(reporter.pk), limit=limit, window_seconds=3600)
    with transaction.atomic():
        case, _created = _open_case(
            kind=kind, target=target, source=Case.Source.REPORT, reason=chosen, scores={}
        )
        case = Case.objects.select_for_update().get(pk=case.pk)
        if Report.objects.filter(case=case, reporter=reporter).exists():
            raise Conflict(
                _("You already reported this. We will let you know what happens."), code="already_reported"
            )
        report = Report.objects.create(
            case=case,
            reporter=reporter,
            reason=chosen,
            text=body,
            trusted=trusted,
            evidence=_evidence(target),
        )
        updates: dict[str, Any] = {
            "report_count": F("report_count") + 1,
            "reach": max(case.reach, target.reach),
        }
        if chosen.severity > case.severity:
            updates.update(
                severity=chosen.severity,
                reason=chosen,
                due_at=case.opened_at + policy.sla_for(chosen.severity),
            )
        Case.objects.filter(pk=case.pk).update(**updates)
        case.refresh_from_db()
        # Nobody on the team reads its language: hold it until someone reviews it through translation.
        # A trusted reporter's report of severe harm holds it at once.
        if case.unstaffed or (trusted and chosen.severity >= policy.TRUSTED_HOLD_SEVERITY):
            _hold(case, reason=chosen.code)
        _reprioritize(case.pk)
    return report


# ----------------------------------------------------------------------------------------------
# Automated flags (classifiers, images, surge defences)


def case_flag(
    *,
    kind: str,
    target_id: int,
    source: str,
    reason: str,
    scores: dict[str, float] | None = None,
    hold: bool = False,
    detail: str = "",
) -> Case | None:
    """Open (or join) a case for content a rule flagged; hold it before distribution when `hold`.

    Returns None when the target is gone. Idempotent: flagging twice joins the same open case.
    """
    reportable = _reportable(kind)
    obj = reportable.load(target_id)
    if obj is None:
        return None
    target = reportable.describe(obj)
    chosen = _reason(reason, required=False) if reason else None
    with transaction.atomic():
        case, _created = _open_case(
            kind=kind, target=target, source=source, reason=chosen, scores=scores or {}
        )
        if scores:
            merged = {**case.scores, **{k: round(float(v), 4) for k, v in scores.items()}}
            Case.objects.filter(pk=case.pk).update(scores=merged)
            case.scores = merged
        if hold:
            _hold(case, reason=reason or source)
            audit(actor=None, action="content.hold", case=case, source=source, detail=detail[:200])
        _reprioritize(case.pk)
    case.refresh_from_db()
    return case


# ----------------------------------------------------------------------------------------------
# Moderators at work


def case_claim(*, moderator: Any, case_id: Any, version: int | None = None) -> Case:
    """Take a case into review (assigned to the moderator). Conflict when someone else moved it first."""
    case = access.case_for_moderator(moderator, case_id)
    _check_version(case, version)
    case = _transition(case, dst=Case.State.IN_REVIEW, actor=moderator, assigned_to=moderator)
    audit(actor=moderator, action="case.claim", case=case)
    return case


def case_release(*, moderator: Any, case_id: Any) -> Case:
    case = access.case_for_moderator(moderator, case_id)
    case = _transition(case, dst=Case.State.OPEN, actor=moderator, assigned_to=None)
    audit(actor=moderator, action="case.release", case=case)
    return case


def case_note_add(*, moderator: Any, case_id: Any, text: str) -> CaseNote:
    case = access.case_for_moderator(moderator, case_id)
    body = _clean(text, NOTE_TEXT_MAX, "note_too_long")
    if not body:
        raise InvalidInput(_("Write something first."), code="note_empty")
    note = CaseNote.objects.create(case=case, author=moderator, text=body)
    audit(actor=moderator, action="case.note", case=case)
    return note


def case_view_record(*, moderator: Any, case: Case, target: reportables.Target | None) -> None:
    """Audit a moderator's view of a case; a view of non-public content also goes to the member's
    Staff access list (privacy)."""
    public = bool(
        target and target.is_public and target.state in (ModerationState.OK, ModerationState.LIMITED)
    )
    audit(actor=moderator, action="case.view" if public else "content.view", case=case, public=public)
    if not public and case.target_author_id:
        record_staff_access(
            staff=moderator,
            member_id=case.target_author_id,
            what="private_note" if case.target_kind == "note" else "account",
            reason=_("Reviewing a report (case %(id)s)") % {"id": case.pk},
            object_ref=f"moderation.case:{case.pk}",
        )


def case_decide(
    *,
    moderator: Any,
    case_id: Any,
    action: str,
    reason: str | None = None,
    note: str = "",
    suspend_days: int | None = None,
    version: int | None = None,
) -> Case:
    """Decide a case: remove, limit, label, suspend, or dismiss. The author and the reporters are told.

    remove: the content is removed (its author sees a tombstone with the reason) and a strike counts;
    limit: out of Discover, topics and search; label: a sensitive-content interstitial; suspend: the
    author is suspended for `suspend_days` (None: permanently) and a strike counts; dismiss: nothing
    was wrong, held content is released. Strikes may add a suspension (moderation.policy).
    """
    case = access.case_for_moderator(moderator, case_id)
    _check_version(case, version)
    if action not in {a.value for a in Action if a.value}:
        raise InvalidInput(_("Choose what to do."), code="invalid_action")
    chosen = _reason(reason, required=action != Action.DISMISS) or case.reason
    if suspend_days is not None and not 1 <= int(suspend_days) <= policy.MAX_SUSPENSION_DAYS:
        raise InvalidInput(
            _("A suspension lasts 1 to %(max)d days, or is permanent.") % {"max": policy.MAX_SUSPENSION_DAYS},
            code="invalid_suspension",
        )
    body = _clean(note, NOTE_TEXT_MAX, "note_too_long")
    code = chosen.code if chosen else ""
    now = timezone.now()
    with transaction.atomic():
        dst = Case.State.DISMISSED if action == Action.DISMISS else Case.State.ACTIONED
        case = _transition(
            case,
            dst=dst,
            actor=moderator,
            detail=action,
            action=action,
            decision_reason=code,
            decided_by=moderator,
            decided_at=now,
            reason=chosen,
        )
        if body:
            CaseNote.objects.create(case=case, author=moderator, text=body)
        _carry_out(case, action=action, reason=code, suspend_days=suspend_days, now=now)
        audit(
            actor=moderator, action="case.decide", case=case, decision=action, reason=code, days=suspend_days
        )
        _tell_people(case)
    return case


#: At most this many accounts of one cluster are sanctioned by one decision (the rest stay held).
CLUSTER_AUTHORS_MAX = 2000


def _case_authors(case: Case) -> list[int]:
    """Whose content the case is about: its author, or every account of a surge cluster."""
    if case.target_author_id:
        return [case.target_author_id]
    if case.target_kind == "cluster":
        return sorted(
            set(
                ClusterItem.objects.filter(cluster_id=case.target_id).values_list("author_id", flat=True)[
                    :CLUSTER_AUTHORS_MAX
                ]
            )
        )
    return []


def _carry_out(case: Case, *, action: str, reason: str, suspend_days: int | None, now: Any) -> None:
    author_ids = _case_authors(case)
    if action == Action.DISMISS:
        if case.held:
            _apply_state(case, ModerationState.OK, "")
        return
    if action == Action.REMOVE:
        _apply_state(case, ModerationState.REMOVED, reason)
    elif action == Action.LIMIT:
        _apply_state(case, ModerationState.LIMITED, reason)
    elif action == Action.LABEL:
        _apply_state(case, ModerationState.OK, reason)
        _apply_sensitive(case, True)
    elif action == Action.SUSPEND:
        if case.target_kind != "member":
            _apply_state(case, ModerationState.REMOVED, reason)
        until = now + timedelta(days=int(suspend_days)) if suspend_days else None
        for author_id in author_ids:
            user_suspend(user_id=author_id, until=until, reason=reason)
    for author_id in author_ids:
        _sanction(case, author_id=author_id, action=action, reason=reason, suspend_days=suspend_days, now=now)


def _sanction(
    case: Case, *, author_id: int, action: str, reason: str, suspend_days: int | None, now: Any
) -> None:
    """Record the sanction on one member, and suspend them when their strikes reach the policy's count."""
    strike = action in policy.STRIKE_ACTIONS
    Sanction.objects.create(
        member_id=author_id,
        case=case,
        kind=action,
        target_kind=case.target_kind,
        target_id=case.target_id,
        reason=reason,
        strike=strike,
        until=(now + timedelta(days=int(suspend_days)))
        if action == Action.SUSPEND and suspend_days
        else None,
    )
    if strike and action != Action.SUSPEND:
        strikes = Sanction.objects.filter(
            member_id=author_id,
            strike=True,
            revoked_at__isnull=True,
            created_at__gte=now - policy.STRIKE_WINDOW,
        ).count()
        suspend, days = policy.suspension_after_strikes(strikes)
        if suspend:
            until = now + timedelta(days=days) if days else None
            user_suspend(user_id=author_id, until=until, reason="strikes")
            Sanction.objects.create(
                member_id=author_id, case=case, kind=Sanction.Kind.SUSPEND, reason="strikes", until=until
            )
            audit(
                actor=None, action="member.suspend", case=case, strikes=strikes, days=days, member=author_id
            )


def _tell_people(case: Case) -> None:
    """Safety notices after commit: the content's author (any decision but a dismissal of content that
    was never held) and every reporter."""
    recipients: set[int] = set(case.reports.exclude(reporter=None).values_list("reporter_id", flat=True))
    if case.state != Case.State.DISMISSED or case.held:
        recipients.update(_case_authors(case))
    for uid in sorted(recipients):
        notify_safety(recipient_id=uid)


# ----------------------------------------------------------------------------------------------
# Appeals


def appeal_create(*, member: Any, case_id: Any, text: str) -> Appeal:
    """Appeal a decision about one's own content or account within 30 days, once."""
    case = access.own_case_or_404(member, case_id)
    body = _clean(text, APPEAL_TEXT_MAX, "appeal_too_long")
    if not body:
        raise InvalidInput(_("Tell us why the decision was wrong."), code="appeal_empty")
    if case.state != Case.State.ACTIONED:
        raise Conflict(_("This decision cannot be appealed."), code="not_appealable")
    if case.decided_at and timezone.now() - case.decided_at > policy.APPEAL_WINDOW:
        raise Conflict(_("Appeals are possible for 30 days after a decision."), code="appeal_window_closed")
    if case.target_kind == "cluster":
        return _appeal_cluster_part(case, member=member, text=body)
    with transaction.atomic():
        if Appeal.objects.filter(case=case).exists():
            raise Conflict(_("You already appealed this decision."), code="already_appealed")
        appeal = Appeal.objects.create(case=case, appellant=member, text=body)
        severity_due = timezone.now() + policy.sla_for(case.severity)
        _transition(
            case,
            dst=Case.State.APPEALED,
            actor=member,
            detail="appeal",
            due_at=severity_due,
            assigned_to=None,
        )
    return appeal


#: At most this many of one member's posts in a cluster are split out by one appeal.
CLUSTER_APPEAL_ITEMS = 20


def cluster_recount(*, cluster_id: int, now: Any) -> tuple[int, int]:
    """Store a cluster's post and account counts from its items; returns (posts, accounts)."""
    stats = ClusterItem.objects.filter(cluster_id=cluster_id).aggregate(
        n=Count("pk"), accounts=Count("author_id", distinct=True)
    )
    ContentCluster.objects.filter(pk=cluster_id).update(
        item_count=stats["n"], account_count=stats["accounts"], updated_at=now
    )
    return stats["n"], stats["accounts"]


def _appeal_cluster_part(cluster_case: Case, *, member: Any, text: str) -> Appeal:
    """A member appeals a decision about a surge cluster: their own posts leave the cluster, each gets a
    case of its own carrying the cluster's decision and the appeal, and their sanctions move with the
    first one. A reviewer then decides about this member only, never about the other accounts."""
    with transaction.atomic():
        items = list(
            ClusterItem.objects.select_for_update()
            .filter(cluster_id=cluster_case.target_id, author_id=member.pk)
            .order_by("pk")[:CLUSTER_APPEAL_ITEMS]
        )
        if not items:
            raise Conflict(_("You already appealed this decision."), code="already_appealed")
        now = timezone.now()
        appeals: list[Appeal] = []
        for item in items:
            reportable = reportables.get(item.item_kind)
            obj = reportable.load(item.item_pk) if reportable else None
            target = reportable.describe(obj) if reportable is not None and obj is not None else None
            case = Case.objects.create(
                target_kind=item.item_kind,
                target_id=item.item_pk,
                target_author_id=member.pk,
                language=target.language if target else cluster_case.language,
                state=Case.State.ACTIONED,
                source=cluster_case.source,
                reason_id=cluster_case.reason_id,
                severity=cluster_case.severity,
                reach=target.reach if target else 0,
                priority=cluster_case.priority,
                scores=cluster_case.scores,
                held=cluster_case.held,
                unstaffed=_unstaffed(target.language if target else cluster_case.language),
                action=cluster_case.action,
                decision_reason=cluster_case.decision_reason,
                decided_by_id=cluster_case.decided_by_id,
                automated=cluster_case.automated,
                opened_at=cluster_case.opened_at,
                decided_at=cluster_case.decided_at,
                closed_at=now,
            )
            CaseTransition.objects.create(
                case=case,
                src="",
                dst=Case.State.ACTIONED,
                actor_id=member.pk,
                detail=f"split from cluster case {cluster_case.pk}",
            )
            if not appeals:
                Sanction.objects.filter(case=cluster_case, member_id=member.pk).update(case=case)
            appeals.append(Appeal.objects.create(case=case, appellant=member, text=text))
            _transition(
                case,
                dst=Case.State.APPEALED,
                actor=member,
                detail="appeal",
                due_at=now + policy.sla_for(case.severity),
                assigned_to=None,
            )
        ClusterItem.objects.filter(pk__in=[i.pk for i in items]).delete()
        cluster_recount(cluster_id=cluster_case.target_id, now=now)
        audit(actor=member, action="appeal.split", case=cluster_case, items=len(items))
    return appeals[0]


def appeal_decide(
    *, moderator: Any, case_id: Any, outcome: str, note: str = "", version: int | None = None
) -> Case:
    """Decide an appeal (a different moderator than the one who decided): upheld, or overturned, which
    restores what was removed, lifts a suspension and revokes the strike."""
    case = access.case_for_moderator(moderator, case_id)
    _check_version(case, version)
    if case.state != Case.State.APPEALED:
        raise Conflict(_("This case has no appeal waiting."), code="no_appeal")
    if not access.may_decide_appeal(moderator, case):
        raise Forbidden(
            _("Another moderator must review an appeal of your own decision."), code="same_moderator"
        )
    if outcome not in (Appeal.Outcome.UPHELD, Appeal.Outcome.OVERTURNED):
        raise InvalidInput(_("Choose upheld or overturned."), code="invalid_outcome")
    body = _clean(note, NOTE_TEXT_MAX, "note_too_long")
    now = timezone.now()
    with transaction.atomic():
        case = _transition(case, dst=outcome, actor=moderator, detail="appeal", closed_at=now)
        Appeal.objects.filter(case=case).update(outcome=outcome, reviewer=moderator, decided_at=now)
        if body:
            CaseNote.objects.create(case=case, author=moderator, text=body)
        if outcome == Appeal.Outcome.OVERTURNED:
            _restore(case, now=now)
        audit(actor=moderator, action="appeal.decide", case=case, outcome=outcome)
        if case.target_author_id:
            notify_safety(recipient_id=case.target_author_id)
    return case


def _restore(case: Case, *, now: Any) -> None:
    if case.action == Action.LABEL:
        _apply_sensitive(case, False)
    if case.action in (Action.REMOVE, Action.LIMIT, Action.SUSPEND) or case.held:
        _apply_state(case, ModerationState.OK, "")
    sanctions = Sanction.objects.filter(case=case, revoked_at__isnull=True)
    for member_id in sorted(
        set(sanctions.filter(kind=Sanction.Kind.SUSPEND).values_list("member_id", flat=True))
    ):
        user_unsuspend(user_id=member_id)
    sanctions.update(revoked_at=now)


# ----------------------------------------------------------------------------------------------
# Operators


def staff_role_set(
    *, operator: Any, user_id: int, role: str | None, languages: list[str] | None = None
) -> None:
    """Give a member a role (operator, moderator, trusted_reporter) with the languages they read, or
    take it away (role None)."""
    access.require_operator(operator)
    if role is None:
        StaffRole.objects.filter(user_id=user_id).delete()
        _sync_staff_flags(user_id=user_id, role=None)
    else:
        if role not in StaffRole.Role.values:
            raise InvalidInput(_("Unknown role."), code="invalid_role")
        codes = sorted({access.base_language(c) for c in (languages or []) if c})[:20]
        if any(len(c) > 8 for c in codes):
            raise InvalidInput(_("Unknown language."), code="invalid_language")
        StaffRole.objects.update_or_create(user_id=user_id, defaults={"role": role, "languages": codes})
    _sync_staff_flags(user_id=user_id, role=role)
    audit(
        actor=operator,
        action="role.set",
        target_kind="member",
        target_id=user_id,
        role=role,
        languages=languages,
    )
    after_commit(_restaff)


def _sync_staff_flags(*, user_id: int, role: str | None) -> None:
    """Moderators and operators are staff in the "moderators" group (what privacy's staff-access list
    shows members, and the cheap flag the navigation reads); trusted reporters are not staff."""
    from django.contrib.auth.models import Group

    from haven.accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or user.is_superuser:
        return
    group, _created = Group.objects.get_or_create(name="moderators")
    staff = role in (StaffRole.Role.OPERATOR, StaffRole.Role.MODERATOR)
    User.objects.filter(pk=user_id).update(is_staff=staff)
    if staff:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def _restaff() -> None:
    """After the team's languages changed: cases whose language is now read leave the unstaffed pool."""
    staffed = sorted(access.staffed_languages())
    Case.objects.filter(state__in=OPEN_STATES, unstaffed=True, language__in=staffed).update(unstaffed=False)
    Case.objects.filter(state__in=OPEN_STATES, unstaffed=False).exclude(language__in=staffed).update(
        unstaffed=True
    )


def reason_save(
    *,
    operator: Any,
    code: str,
    label_en: str,
    label_zh: str,
    severity: int,
    active: bool = True,
    position: int = 100,
) -> ReportReason:
    """Create or edit a report reason (operators)."""
    access.require_operator(operator)
    code = (code or "").strip().lower()
    if not code or len(code) > 40 or not code.replace("_", "").isalnum() or not code.isascii():
        raise InvalidInput(
            _("A reason code is 1 to 40 letters, digits or underscores."), code="invalid_reason_code"
        )
    if not 1 <= int(severity) <= 5:
        raise InvalidInput(_("Severity is 1 to 5."), code="invalid_severity")
    en = _clean(label_en, 80, "label_too_long")
    zh = _clean(label_zh, 80, "label_too_long")
    if not en or not zh:
        raise InvalidInput(_("Give the reason a label in both languages."), code="label_missing")
    reason, _created = ReportReason.objects.update_or_create(
        code=code,
        defaults={
            "label_en": en,
            "label_zh": zh,
            "severity": int(severity),
            "active": active,
            "position": max(0, min(int(position), 10000)),
        },
    )
    audit(actor=operator, action="reason.save", target_kind="reason", detail_code=code)
    return reason


def sla_sweep(*, now: Any = None) -> int:
    """Periodic: count overdue open cases (logged; the dashboard shows them in red)."""
    now = now or timezone.now()
    return Case.objects.filter(state__in=OPEN_STATES, due_at__lt=now).count()
