"""Moderation pages: reporting, the member's reports and decisions, queues, the review screen, team,
reasons and the audit log. Each view checks access (moderation.access) and calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import User
from haven.core import reportables
from haven.core.errors import HavenError, NotFound
from haven.moderation import access, selectors, services
from haven.moderation.forms import (
    AppealDecideForm,
    AppealForm,
    CaseNoteForm,
    DecideForm,
    ReasonForm,
    ReportForm,
    RoleForm,
)
from haven.moderation.models import ReportReason, StaffRole


def _reason_labels() -> dict[str, str]:
    language = get_language() or "en"
    return {r.code: r.label(language) for r in ReportReason.objects.all()}


def _moderator(request: HttpRequest) -> Any:
    if not access.is_moderator(request.user):
        raise Http404
    return request.user


def _operator(request: HttpRequest) -> Any:
    if not access.is_operator(request.user):
        raise Http404
    return request.user


# ----------------------------------------------------------------------------------------------
# Members


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_view(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """Report a note, comment or member: a reason from the list and optional words."""
    reportable = reportables.get(kind)
    obj = reportable.visible_to(request.user, target_id) if reportable else None
    if reportable is None or obj is None:
        raise Http404
    target = reportable.describe(obj)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                kind=kind,
                target_id=target_id,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except HavenError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(
                request,
                _("Thank you. Our moderators will look at it, and we will tell you what they decide."),
            )
            return redirect("moderation:mine")
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "kind": kind,
        "kind_label": reportable.label,
        "target": target,
        "reasons": selectors.reasons(),
        "language": get_language() or "en",
        "chosen": request.POST.get("reason", ""),
    }
    return render(request, "moderation/report.html", context, status=status)


@login_required
@never_cache
def mine_view(request: HttpRequest) -> HttpResponse:
    """A member's reports with what happened, and the decisions about their content, to appeal."""
    reports = list(access.reports_of(request.user)[:50])
    decisions = list(access.decisions_about(request.user)[:50])
    context = {
        "reports": reports,
        "decisions": [(c, selectors.describe(c)) for c in decisions],
        "labels": _reason_labels(),
        "appeal_form": AppealForm(),
        "settings_tab": "safety",
    }
    return render(request, "moderation/mine.html", context)


@login_required
@require_POST
def appeal_view(request: HttpRequest, case_id: int) -> HttpResponse:
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us why the decision was wrong (at most 2,000 characters)."))
        return redirect("moderation:mine")
    try:
        services.appeal_create(member=request.user, case_id=case_id, text=form.cleaned_data["text"])
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your appeal is sent. Another moderator will review the decision."))
    return redirect("moderation:mine")


# ----------------------------------------------------------------------------------------------
# Moderators


@login_required
@never_cache
def queue_view(request: HttpRequest) -> HttpResponse:
    """The moderator's queues: their languages plus the unstaffed pool, highest priority first."""
    moderator = _moderator(request)
    language = (request.GET.get("lang") or "")[:12]
    mine = access.queue_cases(moderator)
    cases = access.queue_cases(moderator, language=language) if language else mine
    foreign = language not in ("", "unstaffed") and (
        access.base_language(language) not in access.moderator_languages(moderator)
    )
    if foreign and not access.is_operator(moderator):
        cases = cases.filter(unstaffed=True)  # another team's queue: only what nobody there reads
    counts = selectors.queue_counts(mine)
    context = {
        "rows": selectors.queue_rows(cases),
        "queues": [
            (code, selectors.language_name(code), n)
            for code, n in sorted(counts.items())
            if code != "unstaffed"
        ],
        "unstaffed": counts.get("unstaffed", 0),
        "total": mine.count(),
        "current": language,
        "languages": sorted(access.moderator_languages(moderator)),
        "staffed": sorted(access.staffed_languages()),
        "labels": _reason_labels(),
        "is_operator": access.is_operator(moderator),
        "nav_section": "moderation",
    }
    return render(request, "moderation/queue.html", context)


@login_required
@never_cache
def case_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The review screen: original and its machine translation, reports, scores, author history, actions."""
    moderator = _moderator(request)
    try:
        case = access.case_for_moderator(moderator, case_id)
    except NotFound:
        raise Http404 from None
    target = selectors.describe(case)
    services.case_view_record(moderator=moderator, case=case, target=target)
    language = get_language() or "en"
    translation = selectors.translation_for(target, moderator=moderator, language=language) if target else {}
    decide_form = DecideForm(initial={"version": case.version})
    appeal = getattr(case, "appeal", None) if case.state in ("appealed", "upheld", "overturned") else None
    reports = list(case.reports.select_related("reason", "reporter").order_by("created_at")[:100])
    context = {
        "case": case,
        "target": target,
        "translation": translation,
        "reports": reports,
        # What the first reporter saw (a private message in its conversation), kept with the report.
        "evidence": next((r.evidence for r in reports if r.evidence), None),
        "notes": list(case.notes.select_related("author").order_by("created_at")[:100]),
        "transitions": list(case.transitions.select_related("actor")[:100]),
        "history": selectors.author_history(case.target_author_id),
        "scores": sorted(case.scores.items(), key=lambda kv: -float(kv[1])),
        "reasons": selectors.reasons(),
        "labels": _reason_labels(),
        "language": language,
        "decide_form": decide_form,
        "action_labels": dict(getattr(decide_form.fields["action"], "choices", ())),
        "note_form": CaseNoteForm(),
        "appeal": appeal,
        "may_decide_appeal": access.may_decide_appeal(moderator, case),
        "can_decide": case.state in ("open", "in_review"),
        "nav_section": "moderation",
    }
    return render(request, "moderation/case.html", context)


def _back_to_case(case_id: int) -> HttpResponse:
    return redirect("moderation:case", case_id=case_id)


@login_required
@require_POST
def case_claim_view(request: HttpRequest, case_id: int) -> HttpResponse:
    moderator = _moderator(request)
    try:
        services.case_claim(moderator=moderator, case_id=case_id)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
    return _back_to_case(case_id)


@login_required
@require_POST
def case_decide_view(request: HttpRequest, case_id: int) -> HttpResponse:
    moderator = _moderator(request)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do and a reason."))
        return _back_to_case(case_id)
    data = form.cleaned_data
    days = data.get("suspend_days") if data["action"] == "suspend" else None
    try:
        services.case_decide(
            moderator=moderator,
            case_id=case_id,
            action=data["action"],
            reason=data.get("reason") or None,
            note=data.get("note") or "",
            suspend_days=days,
            version=data["version"],
        )
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        return _back_to_case(case_id)
    messages.success(request, _("Decided. The author and the reporters are told."))
    return redirect("moderation:queue")


@login_required
@require_POST
def case_note_view(request: HttpRequest, case_id: int) -> HttpResponse:
    moderator = _moderator(request)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(moderator=moderator, case_id=case_id, text=form.cleaned_data["text"])
        except NotFound:
            raise Http404 from None
        except HavenError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("A note is 1 to 2,000 characters."))
    return _back_to_case(case_id)


@login_required
@require_POST
def appeal_decide_view(request: HttpRequest, case_id: int) -> HttpResponse:
    moderator = _moderator(request)
    form = AppealDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose uphold or overturn."))
        return _back_to_case(case_id)
    try:
        services.appeal_decide(
            moderator=moderator,
            case_id=case_id,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data.get("note") or "",
            version=form.cleaned_data["version"],
        )
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        return _back_to_case(case_id)
    messages.success(request, _("Appeal decided. The member is told."))
    return redirect("moderation:queue")


# ----------------------------------------------------------------------------------------------
# Operators


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def team_view(request: HttpRequest) -> HttpResponse:
    """Who moderates which languages; give or take roles."""
    operator = _operator(request)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = User.objects.filter(
            username=form.cleaned_data["username"].strip().lstrip("@").lower()
        ).first()
        if member is None:
            form.add_error("username", _("No member has that username."))
        else:
            languages = [
                c.strip() for c in form.cleaned_data["languages"].replace(",", " ").split() if c.strip()
            ]
            try:
                services.staff_role_set(
                    operator=operator,
                    user_id=member.pk,
                    role=form.cleaned_data["role"] or None,
                    languages=languages,
                )
            except HavenError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("moderation:team")
    roles = StaffRole.objects.select_related("user").order_by("role", "user__username")
    context = {
        "form": form,
        "roles": roles,
        "staffed": sorted(access.staffed_languages()),
        "nav_section": "moderation",
    }
    return render(request, "moderation/team.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reasons_view(request: HttpRequest) -> HttpResponse:
    """The report reasons members choose from: labels in both languages, severity, order."""
    operator = _operator(request)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_save(operator=operator, **form.cleaned_data)
        except HavenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("moderation:reasons")
    context = {"form": form, "reasons": selectors.reasons(active_only=False), "nav_section": "moderation"}
    return render(request, "moderation/reasons.html", context)


@login_required
@never_cache
def audit_view(request: HttpRequest) -> HttpResponse:
    """The append-only audit log, newest first (operators)."""
    _operator(request)
    try:
        before = int(request.GET.get("before") or 0) or None
    except ValueError:
        before = None
    entries = selectors.audit_page(before=before)
    context = {
        "entries": entries,
        "next_before": entries[-1].pk if len(entries) == 100 else None,
        "nav_section": "moderation",
    }
    return render(request, "moderation/audit.html", context)
