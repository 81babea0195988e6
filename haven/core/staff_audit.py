"""Recording staff access to members' non-public data, for apps below privacy (ADR 0001 pattern).

Any staff or moderator view of a member's non-public data (a private note, messages, an e-mail
address, IP addresses, orders) calls `record_staff_access(...)`. The privacy app registers the
recorder (it stores a `privacy.StaffAccess` row the member sees in their privacy center); without
one registered, recording is refused loudly so a view can never skip the audit silently.
Admin screens use `StaffAuditAdminMixin`: a reason first (remembered 30 minutes), then one entry per view.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext

Recorder = Callable[..., None]
_recorder: list[Recorder] = []


def register_recorder(recorder: Recorder) -> None:
    _recorder[:] = [recorder]


def record_staff_access(
    *, staff: Any, member_id: int | None, what: str, reason: str, object_ref: str = "", path: str = ""
) -> None:
    """Record that `staff` saw `what` of member `member_id` for `reason`."""
    if not _recorder:
        raise RuntimeError("no staff access recorder is registered (is haven.privacy installed?)")
    _recorder[0](staff=staff, member_id=member_id, what=what, reason=reason, object_ref=object_ref, path=path)


# ---------------------------------------------------------------------------------------------
# The admin side: a reason first, then one recorded entry per view.

#: A reason is 3 to 300 characters (whitespace collapsed).
MIN_REASON = 3
MAX_REASON = 300
#: A reason given for a member is remembered this long, per staff session and member.
REASON_TTL_SECONDS = 30 * 60
#: At most this many remembered reasons per staff session (oldest dropped).
MAX_REMEMBERED = 100
REASON_FIELD = "_staff_audit_reason"
_SESSION_KEY = "haven_staff_audit_reasons"


def clean_reason(raw: object) -> str:
    """The reason with whitespace collapsed; "" when it is not 3-300 characters."""
    reason = " ".join(str(raw or "").split())
    return reason if MIN_REASON <= len(reason) <= MAX_REASON else ""


def remembered_reason(request: Any, member_id: int) -> str:
    """The reason this staff session gave for `member_id` in the last 30 minutes, or ""."""
    store = request.session.get(_SESSION_KEY) or {}
    entry = store.get(str(member_id)) if isinstance(store, dict) else None
    if not isinstance(entry, list) or len(entry) != 2:
        return ""
    reason, at = entry
    if not isinstance(at, (int, float)) or time.time() - at > REASON_TTL_SECONDS:
        return ""
    return str(reason)


def remember_reason(request: Any, member_id: int, reason: str) -> None:
    store = request.session.get(_SESSION_KEY)
    store = dict(store) if isinstance(store, dict) else {}
    now = time.time()
    store = {
        k: v
        for k, v in store.items()
        if isinstance(v, list) and len(v) == 2 and now - float(v[1]) <= REASON_TTL_SECONDS
    }
    store[str(member_id)] = [reason, now]
    if len(store) > MAX_REMEMBERED:
        store = dict(sorted(store.items(), key=lambda kv: kv[1][1])[-MAX_REMEMBERED:])
    request.session[_SESSION_KEY] = store


if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _AdminBase = ModelAdmin[Any]
else:
    _AdminBase = object


class StaffAuditAdminMixin(_AdminBase):
    """For a ModelAdmin whose change view shows a member's non-public data.

    Before the change view of an audited object opens, staff give a reason (an interstitial form; a
    reason is remembered for 30 minutes per staff session and member); each view then records one
    entry through `record_staff_access`. A staff member's own data is not audited.
    Subclasses implement `staff_audit_target(obj)` -> (member_id, what), or None when `obj` shows
    nothing non-public (a public note).
    """

    staff_audit_template = "admin/staff_audit_reason.html"

    def staff_audit_target(self, obj: Any) -> tuple[int | None, str] | None:
        raise NotImplementedError

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        from django.contrib.admin.utils import unquote

        obj = self.get_object(request, unquote(object_id)) if object_id else None
        target = self.staff_audit_target(obj) if obj is not None else None
        user = request.user
        if (
            obj is None
            or target is None
            or target[0] == getattr(user, "pk", None)
            or not self.has_view_or_change_permission(request, obj)
        ):
            return super().change_view(request, object_id, form_url, extra_context)
        member_id, what = target
        if request.method == "POST" and REASON_FIELD in request.POST:
            reason = clean_reason(request.POST.get(REASON_FIELD))
            if reason:
                remember_reason(request, member_id or 0, reason)
                return HttpResponseRedirect(request.get_full_path())
            return self._staff_audit_form(request, obj, error=True)
        reason = remembered_reason(request, member_id or 0)
        if not reason:
            return self._staff_audit_form(request, obj, error=False)
        if request.method in ("GET", "HEAD"):
            record_staff_access(
                staff=user,
                member_id=member_id,
                what=what,
                reason=reason,
                object_ref=f"{obj._meta.label_lower}:{obj.pk}",
                path=request.path,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _staff_audit_form(self, request: HttpRequest, obj: Any, *, error: bool) -> HttpResponse:
        from django.template.response import TemplateResponse

        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": obj,
            "title": gettext("Why do you need to see this?"),
            "field_name": REASON_FIELD,
            "min_reason": MIN_REASON,
            "max_reason": MAX_REASON,
            "error": error,
            "value": " ".join(str(request.POST.get(REASON_FIELD, "")).split())[:MAX_REASON] if error else "",
        }
        return TemplateResponse(request, self.staff_audit_template, context, status=400 if error else 200)
