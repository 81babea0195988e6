"""HTML views of privacy: the privacy center, data downloads, account deletion and its receipt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.core.input import parse_id
from haven.privacy import access, export, sections, selectors, services
from haven.privacy.forms import DeleteAccountForm, ReauthForm, RegionForm


def _readable_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """A receipt's counts by model label, summed per kind of data as members read them."""
    totals: dict[str, int] = {}
    for label, n in counts.items():
        title = sections.title_for_label(label)
        totals[title] = totals.get(title, 0) + int(n)
    return sorted(totals.items())


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _center(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = _member(request)
    context = {
        "nav_section": "settings",
        "settings_tab": "privacy",
        "exports": selectors.exports_for(user),
        "export_form": forms.get("export_form") or ReauthForm(prefix="export"),
        "delete_form": forms.get("delete_form") or DeleteAccountForm(prefix="delete"),
        "deletion_cancelled": selectors.deletion_recently_cancelled(user),
        "regions": selectors.regions(),
        "current_region": user.data_region,
        "staff_access": selectors.recent_staff_access(user),
        "kept": selectors.kept_records(),
        "grace_days": services.DELETION_GRACE.days,
        "valid_days": services.export_valid_for().days,
    }
    return render(request, "privacy/center.html", context, status=status)


@login_required
@never_cache
@require_GET
def center_view(request: HttpRequest) -> HttpResponse:
    """The privacy center: download your data, data region, consents, staff access, delete account."""
    return _center(request)


@login_required
@require_POST
@sensitive_post_parameters("export-password")
def export_request_view(request: HttpRequest) -> HttpResponse:
    form = ReauthForm(request.POST, prefix="export")
    if not form.is_valid():
        return _center(request, status=400, export_form=form)
    try:
        services.export_request(user=_member(request), password=form.cleaned_data["password"])
    except HavenError as exc:
        form.add_error("password" if exc.code == "reauthentication_failed" else None, exc.message)
        return _center(request, status=exc.status, export_form=form)
    messages.success(
        request, _("We're preparing your data. It usually takes a few minutes; come back to this page.")
    )
    return redirect("privacy:center")


@login_required
@never_cache
@require_GET
def export_download_view(request: HttpRequest, export_id: str) -> HttpResponse | FileResponse:
    """The ZIP, to its owner only, while it is valid."""
    try:
        item = access.export_downloadable(_member(request), parse_id(export_id))
    except HavenError as exc:
        raise Http404 from exc
    services.export_downloaded(export=item)
    response = FileResponse(
        export.open_for_download(item.file_name),
        as_attachment=True,
        filename=f"haven-{_member(request).username}-{item.requested_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@sensitive_post_parameters("delete-password")
def delete_account_view(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, prefix="delete")
    if not form.is_valid():
        return _center(request, status=400, delete_form=form)
    try:
        deletion = services.deletion_schedule(user=_member(request), password=form.cleaned_data["password"])
    except HavenError as exc:
        form.add_error("password" if exc.code == "reauthentication_failed" else None, exc.message)
        return _center(request, status=exc.status, delete_form=form)
    logout(request)
    return redirect("privacy:receipt", code=deletion.receipt_code)


@require_GET
@never_cache
def receipt_view(request: HttpRequest, code: str) -> HttpResponse:
    """A deletion receipt: when the account is (or was) erased, and what was erased. No personal data."""
    try:
        deletion = services.receipt(receipt_code=code)
    except HavenError as exc:
        raise Http404 from exc
    return render(
        request,
        "privacy/receipt.html",
        {
            "deletion": deletion,
            "counts": _readable_counts(deletion.counts or {}),
            "grace_days": services.DELETION_GRACE.days,
        },
    )


@login_required
@require_POST
def region_view(request: HttpRequest) -> HttpResponse:
    form = RegionForm(request.POST)
    if form.is_valid():
        try:
            services.data_region_set(user=_member(request), region=form.cleaned_data["region"])
        except HavenError as exc:
            messages.error(request, exc.message)
            return _center(request, status=exc.status)
        messages.success(request, _("Your data region is saved. Your photos move there in the background."))
    else:
        messages.error(request, _("Choose one of the offered regions."))
        return _center(request, status=400)
    return redirect("privacy:center")
