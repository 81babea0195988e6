"""Who may do what in trust and safety: roles (operator, moderator with languages, trusted reporter),
which cases a moderator sees, and what a member sees of their reports and of decisions about them.

The rule: operators (superusers, or members with the operator role) see every case and manage
reasons, roles and settings. Moderators see the queues of the languages they read, plus every case
whose language nobody on the team reads (held until someone reviews it through translation).
Members see their own reports (with the outcome) and the decisions about their own content.
Missing and forbidden look the same: NotFound.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import NotFound
from haven.moderation.models import Case, ClusterItem, Report, StaffRole
from haven.moderation.states import QUEUE_STATES

OPERATOR = StaffRole.Role.OPERATOR
MODERATOR = StaffRole.Role.MODERATOR
TRUSTED_REPORTER = StaffRole.Role.TRUSTED_REPORTER


def base_language(code: str | None) -> str:
    return (code or "und").split("-")[0].split("_")[0].lower() or "und"


def _role_row(user: Any) -> StaffRole | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_haven_staff_role"):
        user._haven_staff_role = StaffRole.objects.filter(user_id=user.pk).first()
    row: StaffRole | None = user._haven_staff_role
    return row


def role_of(user: Any) -> str | None:
    """operator, moderator, trusted_reporter or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return OPERATOR
    row = _role_row(user)
    return row.role if row else None


def is_operator(user: Any) -> bool:
    return role_of(user) == OPERATOR


def is_moderator(user: Any) -> bool:
    """Operators moderate too."""
    return role_of(user) in (OPERATOR, MODERATOR)


def is_trusted_reporter(user: Any) -> bool:
    return role_of(user) == TRUSTED_REPORTER


def moderator_languages(user: Any) -> set[str]:
    """The base languages a moderator reads (their role's list; else the languages of their profile)."""
    row = _role_row(user)
    declared = row.languages if row and row.languages else getattr(user, "languages", None) or []
    return {base_language(code) for code in declared if code}


def staffed_languages() -> set[str]:
    """Languages at least one moderator (or operator) reads."""
    found: set[str] = set()
    for languages in StaffRole.objects.filter(role__in=(OPERATOR, MODERATOR)).values_list(
        "languages", flat=True
    ):
        found.update(base_language(code) for code in languages or [])
    return found


def require_moderator(user: Any) -> None:
    if not is_moderator(user):
        raise NotFound(_("Page not found."))


def require_operator(user: Any) -> None:
    if not is_operator(user):
        raise NotFound(_("Page not found."))


def queue_cases(user: Any, *, language: str | None = None) -> QuerySet[Case]:
    """Cases waiting in `user`'s queues: their languages and the unstaffed ones; every case for operators.

    `language` narrows to one queue ("unstaffed" for the cases nobody's language covers).
    """
    require_moderator(user)
    cases = Case.objects.filter(state__in=QUEUE_STATES)
    if language == "unstaffed":
        return cases.filter(unstaffed=True)
    if language:
        return cases.filter(language=base_language(language))
    if is_operator(user):
        return cases
    return cases.filter(Q(language__in=sorted(moderator_languages(user))) | Q(unstaffed=True))


def case_for_moderator(user: Any, case_id: Any) -> Case:
    """A case a moderator may open: any case for operators; for moderators, cases of their queues and
    every case they decided before (closed ones included)."""
    require_moderator(user)
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        pk = 0
    case = (
        Case.objects.select_related("reason", "target_author", "assigned_to", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound(_("Case not found."))
    if is_operator(user) or case.decided_by_id == user.pk or case.unstaffed:
        return case
    if base_language(case.language) in moderator_languages(user):
        return case
    raise NotFound(_("Case not found."))


def may_decide_appeal(user: Any, case: Case) -> bool:
    """An appeal is reviewed by a different moderator than the one who decided the case."""
    return is_moderator(user) and case.decided_by_id != user.pk


def reports_of(user: Any) -> QuerySet[Report]:
    """The reports `user` made, newest first, with their case (the outcome)."""
    return Report.objects.filter(reporter_id=user.pk).select_related("case", "reason").order_by("-created_at")


def decisions_about(user: Any) -> QuerySet[Case]:
    """Decisions about `user`'s content or account that they may see and appeal (automatic holds too)."""
    in_clusters = ClusterItem.objects.filter(author_id=user.pk).values("cluster_id")
    return (
        Case.objects.filter(Q(target_author_id=user.pk) | Q(target_kind="cluster", target_id__in=in_clusters))
        .filter(Q(state__in=("actioned", "appealed", "upheld", "overturned")) | Q(held=True))
        .select_related("reason")
        .order_by("-opened_at")
    )


def own_case_or_404(user: Any, case_id: Any) -> Case:
    """A case about `user`'s own content (to appeal it)."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        pk = 0
    case = decisions_about(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("Case not found."))
    return case
