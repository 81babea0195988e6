"""HTML views of imports (Settings -> Import): upload, progress (htmx polling), review, done.

Every write is a form POST that redirects (works without JavaScript); the progress box polls a
fragment with htmx and asks for a full reload once the job leaves a running state. Reads go through
access and selectors, writes through the same services as the API; refusals become a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.core.errors import HavenError, NotFound
from haven.imports import access, selectors, services
from haven.imports.models import ImportJob
from haven.imports.states import ACTIVE, DONE, IMPORTING, PARSING, REVIEW, UPLOADED
from haven.imports.uploads import limit_upload, upload_from
from haven.people import selectors as people_selectors

RUNNING = (UPLOADED, PARSING, IMPORTING)
#: Exact matches the done screen offers in one tap (the people page shows all of them).
PEOPLE_SHOWN = 50

#: The private categories an export may hold, as the review screen names them.
NEVER_IMPORTED = {
    "messages": gettext_lazy("Messages"),
    "login_history": gettext_lazy("Login and IP history"),
    "devices": gettext_lazy("Devices"),
    "search_history": gettext_lazy("Search history"),
    "watch_history": gettext_lazy("Watch history"),
    "share_history": gettext_lazy("Share history"),
    "location": gettext_lazy("Location data"),
    "contact_details": gettext_lazy("E-mail, phone and birth date"),
    "payments": gettext_lazy("Payments and gifts"),
    "shopping": gettext_lazy("Shopping orders and addresses"),
    "ads": gettext_lazy("Ads data"),
    "off_platform_activity": gettext_lazy("Activity outside the app"),
    "live": gettext_lazy("Live streams"),
    "profile_views": gettext_lazy("Profile views"),
}

#: Why entries were left out (the parser's stable reason codes).
SKIP_REASONS = {
    "duplicate": gettext_lazy("Duplicates"),
    "bad_date": gettext_lazy("Unreadable dates (kept without a date)"),
    "bad_link": gettext_lazy("Unsafe or foreign links"),
    "bad_handle": gettext_lazy("Invalid usernames"),
    "bad_entry": gettext_lazy("Unreadable entries"),
    "missing_value": gettext_lazy("Empty entries"),
    "truncated": gettext_lazy("Over the size limit"),
    "text_cut": gettext_lazy("Texts shortened"),
    "deleted_post": gettext_lazy("Recently deleted posts"),
    "missing_media": gettext_lazy("Photos or videos not in the upload"),
    "unknown_section": gettext_lazy("Sections Haven does not know"),
    "not_imported": gettext_lazy("Sections Haven does not import (comments, settings...)"),
    "private_never_imported": gettext_lazy("Private sections, never read"),
    "empty_section": gettext_lazy("Empty sections"),
}

SOURCES = {"tiktok": "TikTok", "instagram": "Instagram"}


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    """The member's own job; a missing one and someone else's are both a plain 404."""
    try:
        return access.job_or_404(_member(request), job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _skipped(report: dict[str, Any]) -> list[tuple[str, int]]:
    rows = (report or {}).get("skipped_by_reason") or {}
    other = _("Other")
    return [(str(SKIP_REASONS.get(code, other)), int(n)) for code, n in sorted(rows.items())]


@login_required
@never_cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Settings -> Import: the upload form, or the import in progress, and past imports."""
    return _index(request)


def _index(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    jobs = selectors.jobs_for(_member(request))
    active = next((job for job in jobs if job.state in ACTIVE), None)
    context = {
        "settings_tab": "import",
        "jobs": jobs,
        "active": active,
        "error": error,
        "accept": ".zip,.json,.txt,application/zip,application/json,text/plain",
    }
    return render(request, "imports/index.html", context, status=status)


@csrf_exempt  # checked by _upload, once the limiting upload handler is in place
@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    try:
        limit_upload(request)
    except HavenError as exc:
        return _index(request, status=exc.status, error=exc.message)
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    try:
        file = upload_from(request)
        if file is None:
            return _index(request, status=400, error=_("Choose your export file (a ZIP, JSON or TXT file)."))
        job = services.import_upload(user=_member(request), file=file, name=file.name or "")
    except HavenError as exc:
        return _index(request, status=exc.status, error=exc.message)
    return redirect("imports:job", job_id=job.pk)


def _media_left(result: dict[str, Any]) -> int:
    """Photos and videos of the export that did not become a draft's media (failed, over the limit,
    skipped for a reason): the member adds them in the editor."""
    skipped = result.get("media_skipped") or {}
    reasons = sum(int(n) for n in skipped.values()) if isinstance(skipped, dict) else 0
    return int(result.get("media_failed") or 0) + int(result.get("media_over_limit") or 0) + reasons


@login_required
@never_cache
@require_GET
def job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """One import: its progress, the review form, or what it created."""
    job = _job(request, job_id)
    context: dict[str, Any] = {
        "settings_tab": "import",
        "job": job,
        "running": job.state in RUNNING,
        "source_name": SOURCES.get(job.source, job.source),
        "error_message": selectors.error_message(job.error_code),
    }
    if job.state == REVIEW:
        review = selectors.review(job)
        found = set(review["never_imported"])
        context.update(
            review=review,
            never_found=[str(label) for code, label in NEVER_IMPORTED.items() if code in found],
            skipped=_skipped(job.report),
            preview=review["posts"][:10],
        )
    if job.state == DONE:
        context.update(
            drafts=list(selectors.drafts_of(job)[:100]),
            skipped=_skipped(job.report),
            media_left=_media_left(job.result or {}),
        )
        if (job.result or {}).get("contacts_kept") is not None:
            # Who of the imported list is here now (people: exact matches in one tap, likely ones there).
            matches = people_selectors.matches_for(request.user, platform=job.source or None)
            context.update(
                people_exact=[m for m in matches if m.kind == people_selectors.EXACT][:PEOPLE_SHOWN],
                people_likely=sum(1 for m in matches if m.kind != people_selectors.EXACT),
            )
    return render(request, "imports/job.html", context)


@login_required
@never_cache
@require_GET
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment htmx polls; once the job stops running, the whole page reloads."""
    job = _job(request, job_id)
    response = render(request, "imports/_progress.html", {"job": job, "running": job.state in RUNNING})
    if job.state not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    _job(request, job_id)
    choices = {name: request.POST.get(name) == "on" for name in services.CHOICES}
    try:
        services.import_confirm(user=_member(request), job_id=job_id, choices=choices)
    except HavenError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", job_id=job_id)


@login_required
@require_POST
def cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    _job(request, job_id)
    try:
        services.import_cancel(user=_member(request), job_id=job_id)
        messages.success(request, _("Import cancelled. Your upload was deleted."))
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("imports:job", job_id=job_id)
    return redirect("imports:index")


@login_required
@require_POST
def delete(request: HttpRequest, job_id: int) -> HttpResponse:
    _job(request, job_id)
    try:
        services.import_delete(user=_member(request), job_id=job_id)
        messages.success(request, _("Import deleted. Drafts it created are still in your drafts."))
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("imports:job", job_id=job_id)
    return redirect(reverse("imports:index"))
