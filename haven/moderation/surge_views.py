"""The surge-defences dashboard: operators switch surge mode and edit the domain blocklist; moderators
read it and open clusters. Each view checks access (moderation.access) and calls one service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from haven.core.errors import HavenError
from haven.core.staff_audit import record_staff_access
from haven.moderation import access, services, surge
from haven.moderation.models import ContentCluster

_TEXT_MAX = 300


def _state_labels() -> dict[str, str]:
    return {
        "open": _("waiting for review"),
        "in_review": _("in review"),
        "actioned": _("actioned"),
        "dismissed": _("dismissed"),
        "appealed": _("appealed"),
        "upheld": _("upheld"),
        "overturned": _("overturned"),
    }


def _require(request: HttpRequest, *, operator: bool) -> None:
    allowed = access.is_operator(request.user) if operator else access.is_moderator(request.user)
    if not allowed:
        raise Http404


@login_required
@never_cache
def surge_view(request: HttpRequest) -> HttpResponse:
    """Surge mode, the limits in force (normal and surge), sign-ups of the last hour, recent clusters,
    the domain blocklist and how much is held."""
    _require(request, operator=False)
    context = surge.dashboard()
    context.update(
        mod_tab="surge",
        is_operator=access.is_operator(request.user),
        state_labels=_state_labels(),
        surge_percent=round(settings.HAVEN.surge_mode_factor * 100),
    )
    return render(request, "moderation/surge.html", context)


@login_required
@require_POST
def surge_mode_view(request: HttpRequest) -> HttpResponse:
    _require(request, operator=True)
    active = request.POST.get("active") == "on"
    try:
        surge.surge_mode_set(
            operator=request.user, active=active, reason=request.POST.get("reason", "")[:_TEXT_MAX]
        )
    except HavenError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("Surge mode is on: every limit is tighter now."))
        else:
            messages.success(request, _("Surge mode is off: the normal limits apply again."))
    return redirect("moderation:surge")


@login_required
@require_POST
def surge_domains_view(request: HttpRequest) -> HttpResponse:
    """Block a link domain (field "domain", optional "reason") or unblock one (field "remove": its id)."""
    _require(request, operator=True)
    try:
        if "remove" in request.POST:
            if surge.blocked_domain_remove(operator=request.user, domain_id=request.POST.get("remove")):
                messages.success(request, _("The domain is no longer blocked."))
        else:
            row = surge.blocked_domain_add(
                operator=request.user,
                domain=request.POST.get("domain", "")[:_TEXT_MAX],
                reason=request.POST.get("reason", "")[:_TEXT_MAX],
            )
            messages.success(
                request,
                _("Posts with links to %(domain)s and its subdomains are held now.") % {"domain": row.domain},
            )
    except HavenError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("moderation:surge") + "#blocked")


@login_required
@never_cache
def surge_cluster_view(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """The posts of one cluster, with their authors and states (a view of non-public ones is recorded)."""
    _require(request, operator=False)
    cluster = ContentCluster.objects.filter(pk=cluster_id).first()
    if cluster is None:
        raise Http404
    rows = surge.cluster_items(cluster)
    hidden = [r for r in rows if r["target"] is not None and not r["target"].is_public]
    services.audit(
        actor=request.user,
        action="cluster.view" if not hidden else "content.view",
        target_kind="cluster",
        target_id=cluster.pk,
        public=not hidden,
    )
    case = surge.latest_case(cluster)
    for row in hidden:
        record_staff_access(
            staff=request.user,
            member_id=row["item"].author_id,
            what="private_note" if row["item"].item_kind == "note" else "account",
            reason=_("Reviewing similar posts from new accounts (case %(id)s)")
            % {"id": case.pk if case else "-"},
            object_ref=f"moderation.cluster:{cluster.pk}",
        )
    context = {"cluster": cluster, "rows": rows, "case": case, "mod_tab": "surge"}
    return render(request, "moderation/surge_cluster.html", context)
