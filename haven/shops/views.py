"""HTML views of shops: the public shop page, opening a shop, My shops, the manage page and the
operators' review queue.

Every write is a form POST that redirects back (works without JavaScript). Reads go through access
and selectors, writes through services; refusals (haven.core.errors) become a friendly message,
never a 500. A shop hidden from the viewer is a 404, like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.core import ratelimit
from haven.core.countries import country_choices
from haven.core.errors import HavenError, InvalidInput, NotFound
from haven.core.images import file_too_large
from haven.core.money import CURRENCIES, parse_major, to_major_string
from haven.media import services as media_services
from haven.media.api import UPLOADS_PER_MINUTE
from haven.shops import access, selectors, services, states
from haven.shops.models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    RETURN_POLICY_MAX,
    REVIEW_NOTE_MAX,
    SHIPPING_REGIONS_MAX,
    SLUG_MAX,
    STAFF_MAX,
    ShippingRate,
    Shop,
    ShopStaff,
)
from haven.shops.sections import render_sections

#: Photo types the logo picker offers (the media pipeline checks the bytes).
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"
MULTIPART_SLACK = 64 * 1024
PAGE = 20
#: Currencies offered first in the open form (any ISO 4217 code is accepted).
COMMON_CURRENCIES = ("CNY", "USD", "EUR", "GBP", "HKD", "TWD", "JPY", "KRW", "SGD", "AUD", "CAD")


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _friendly(exc: HavenError) -> str:
    if exc.code == "not_found" and exc.message == "not found":
        return _("This shop or member is not available.")
    if exc.code == "rate_limited":
        return _("Too many attempts. Please wait a moment and try again.")
    if exc.code == "invalid_transition":
        return _("This shop's status has changed. Reload the page and try again.")
    return exc.message


def _uploaded_logo(request: HttpRequest, viewer: User) -> int | None:
    """The logo a form carries, uploaded through the media pipeline (the same as the note composer
    and group photos): its image id, or None when there is none."""
    limit = settings.HAVEN.max_upload_bytes
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK:
        raise file_too_large(limit)
    if not request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return None
    try:
        files = request.FILES.getlist("logo")
    except RequestDataTooBig:
        raise file_too_large(limit) from None
    except (MultiPartParserError, BadRequest, SuspiciousOperation):
        raise InvalidInput(_("The upload could not be read."), code="bad_upload") from None
    if not files:
        return None
    if len(files) > 1:
        raise InvalidInput(_("Choose one photo."), code="too_many_images")
    ratelimit.hit("media_upload", str(viewer.pk), limit=UPLOADS_PER_MINUTE, window_seconds=60)
    return int(media_services.image_upload(owner=viewer, file=files[0]).pk)


def _post(request: HttpRequest, name: str, limit: int) -> str:
    return str(request.POST.get(name, ""))[: limit + 1]


# -------------------------------------------------------------------------------------------------
# The public shop page


@require_GET
def shop_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A shop as buyers see it: banner with logo, name, kind, rating and sold count, description in
    the reader's language, return policy and shipping, then the sections other apps add (products)."""
    try:
        if slug.isdigit():  # /shop/<id>/ leads to the shop's address
            shop = access.visible_shop_or_404(request.user, shop_id=slug)
            return redirect("shops:shop", slug=shop.slug)
        shop = access.visible_shop_or_404(request.user, slug=slug)
    except NotFound:
        raise Http404(_("This shop is not available.")) from None
    page = selectors.shop_page(request.user, shop)
    rates = [(selectors.region_label(r.region), selectors.rate_label(r, shop.currency)) for r in page.rates]
    context = {
        "page": page,
        "shop": shop,
        "rates": rates[: selectors.SHIPPING_SHOWN],
        "more_rates": rates[selectors.SHIPPING_SHOWN :],
        "sections": render_sections(request, shop),
        "is_staff": page.role is not None,
        "is_operator": access.is_operator(request.user),
    }
    return render(request, "shops/shop.html", context)


# -------------------------------------------------------------------------------------------------
# Opening a shop and My shops


def _currency_choices() -> list[str]:
    return list(COMMON_CURRENCIES) + sorted(CURRENCIES - set(COMMON_CURRENCIES))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def shop_new(request: HttpRequest) -> HttpResponse:
    viewer = _member(request)
    values: dict[str, Any] = {"kind": Shop.Kind.CREATOR, "currency": "CNY"}
    error = ""
    status = 200
    if request.method == "POST":
        values = {
            "name": _post(request, "name", NAME_MAX),
            "slug": _post(request, "slug", SLUG_MAX),
            "kind": _post(request, "kind", 10),
            "currency": _post(request, "currency", 3),
            "description_en": _post(request, "description_en", DESCRIPTION_MAX),
            "description_zh": _post(request, "description_zh", DESCRIPTION_MAX),
            "return_policy": _post(request, "return_policy", RETURN_POLICY_MAX),
        }
        try:
            ratelimit.hit("shop_open", str(viewer.pk), limit=services.OPENS_PER_HOUR, window_seconds=3600)
            services.check_slug(values["slug"])  # before storing a logo for a form that will fail
            logo_id = _uploaded_logo(request, viewer)
            shop = services.shop_open(owner=viewer, logo_id=logo_id, **values)
        except HavenError as exc:
            error, status = _friendly(exc), exc.status
        else:
            flash.success(request, _("Your shop is open for review. We'll tell you when it is approved."))
            return redirect("shops:manage", shop_id=shop.pk)
    context = {
        "values": values,
        "error": error,
        "kinds": Shop.Kind.choices,
        "currencies": _currency_choices(),
        "photo_types": PHOTO_TYPES,
        "limits": {
            "name": NAME_MAX,
            "slug": SLUG_MAX,
            "description": DESCRIPTION_MAX,
            "return_policy": RETURN_POLICY_MAX,
        },
        "nav_section": "me",
    }
    return render(request, "shops/new.html", context, status=status)


@login_required
@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    viewer = _member(request)
    try:
        page = selectors.my_shops(viewer, cursor=request.GET.get("cursor") or None, limit=PAGE)
    except HavenError as exc:
        raise Http404(exc.message) from None
    roles = selectors.roles_of(viewer, [s.pk for s in page.items])
    rows = [{"shop": s, "role": roles.get(s.pk), "logo_url": selectors.logo_url(s)} for s in page.items]
    owned = Shop.objects.filter(owner=viewer).count()
    context = {
        "rows": rows,
        "next_url": f"{request.path}?cursor={page.next_cursor}" if page.next_cursor else "",
        "can_open": owned < services.OWNED_MAX,
        "owned_max": services.OWNED_MAX,
        "nav_section": "me",
    }
    return render(request, "shops/mine.html", context)


# -------------------------------------------------------------------------------------------------
# Managing a shop


def _staff_shop(request: HttpRequest, shop_id: int, roles: Any = access.FULFIL) -> Shop:
    try:
        return access.staff_shop_or_404(request.user, shop_id, roles=roles)
    except NotFound:
        raise Http404(_("This shop is not available.")) from None


@login_required
@never_cache
@require_GET
def manage(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Settings, logo, shipping rates and staff (owner and managers; fulfilment staff and operators
    read), with the review status and the operators' note."""
    viewer = _member(request)
    shop = _staff_shop(request, shop_id)
    role = access.staff_role(viewer, shop)
    rates = selectors.shipping_rates(shop)
    context = {
        "shop": shop,
        "role": role,
        "can_manage": role in access.MANAGE,
        "is_owner": role == ShopStaff.Role.OWNER,
        "logo_url": selectors.logo_url(shop),
        "rates": [
            {
                "rate": r,
                "region": selectors.region_label(r.region),
                "label": selectors.rate_label(r, shop.currency),
                "major": to_major_string(r.amount, shop.currency),
            }
            for r in rates
        ],
        "rates_full": len(rates) >= SHIPPING_REGIONS_MAX,
        "staff": selectors.staff_list(shop),
        "staff_full": ShopStaff.objects.filter(shop=shop).count() >= STAFF_MAX,
        "history": selectors.history(shop, limit=5),
        "countries": country_choices(),
        "modes": ShippingRate.Mode.choices,
        "photo_types": PHOTO_TYPES,
        "limits": {"name": NAME_MAX, "description": DESCRIPTION_MAX, "return_policy": RETURN_POLICY_MAX},
        "staff_max": STAFF_MAX,
        "nav_section": "me",
    }
    return render(request, "shops/manage.html", context)


def _manage_action(request: HttpRequest, viewer: User, shop: Shop, action: str) -> str:
    """Run one manage-page action; the success message."""
    if action == "settings":
        services.shop_update(
            actor=viewer,
            shop=shop,
            name=_post(request, "name", NAME_MAX),
            description_en=_post(request, "description_en", DESCRIPTION_MAX),
            description_zh=_post(request, "description_zh", DESCRIPTION_MAX),
            return_policy=_post(request, "return_policy", RETURN_POLICY_MAX),
        )
        return _("Your shop's settings are saved.")
    if action == "logo":
        if access.staff_role(viewer, shop) not in access.MANAGE:  # before storing a file
            raise NotFound()
        logo_id = _uploaded_logo(request, viewer)
        if logo_id is None:
            raise InvalidInput(_("Choose a photo first."), code="photo_required")
        services.shop_update(actor=viewer, shop=shop, logo_id=logo_id)
        return _("The logo is changed. It shows once it is processed.")
    if action == "logo-remove":
        services.shop_update(actor=viewer, shop=shop, logo_id=None)
        return _("The logo is removed.")
    if action == "rate-set":
        amount = parse_major(_post(request, "amount", 20), shop.currency)
        rate = services.shipping_rate_set(
            actor=viewer,
            shop=shop,
            region=_post(request, "region", 2),
            mode=_post(request, "mode", 10),
            amount=amount,
        )
        return _("Shipping to %(region)s is saved.") % {"region": selectors.region_label(rate.region)}
    if action == "rate-delete":
        services.shipping_rate_delete(actor=viewer, shop=shop, region=_post(request, "region", 2))
        return _("The shipping rate is removed.")
    if action == "staff-add":
        row = services.staff_add(
            actor=viewer, shop=shop, username=_post(request, "username", 150), role=_post(request, "role", 12)
        )
        return _("@%(name)s now works in your shop.") % {"name": row.user.username}
    if action == "staff-role":
        row = services.staff_set_role(
            actor=viewer, shop=shop, username=_post(request, "username", 150), role=_post(request, "role", 12)
        )
        return _("@%(name)s's role is changed.") % {"name": row.user.username}
    if action == "staff-remove":
        services.staff_remove(actor=viewer, shop=shop, username=_post(request, "username", 150))
        return _("Removed from the shop's staff.")
    if action == "resubmit":
        services.shop_resubmit(actor=viewer, shop=shop)
        return _("Your shop is sent for review again.")
    raise Http404


@login_required
@require_POST
def manage_action(request: HttpRequest, shop_id: int, action: str) -> HttpResponse:
    viewer = _member(request)
    shop = _staff_shop(request, shop_id)
    back = reverse("shops:manage", args=[shop.pk])
    try:
        message = _manage_action(request, viewer, shop, action)
    except HavenError as exc:
        flash.error(request, _friendly(exc))
        return redirect(back)
    flash.success(request, message)
    if (
        action == "staff-remove"
        and access.staff_role(viewer, shop) is None
        and not access.is_operator(viewer)
    ):
        return redirect("shops:mine")  # they left the shop
    return redirect(back)


# -------------------------------------------------------------------------------------------------
# The operators' review queue


def _operator(request: HttpRequest) -> User:
    if not access.is_operator(request.user):
        raise Http404
    return _member(request)


@login_required
@never_cache
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _operator(request)
    status = request.GET.get("status") or states.PENDING
    if status not in selectors.QUEUE_STATUSES:
        status = states.PENDING
    try:
        page = selectors.review_queue(status=status, cursor=request.GET.get("cursor") or None, limit=PAGE)
    except HavenError as exc:
        raise Http404(exc.message) from None
    rows = [
        {
            "shop": s,
            "logo_url": selectors.logo_url(s),
            "description": selectors.description_for(s),
            "history": selectors.history(s, limit=3),
        }
        for s in page.items
    ]
    tabs = [(value, label) for value, label in Shop.Status.choices if value in selectors.QUEUE_STATUSES]
    next_url = f"{request.path}?status={status}&cursor={page.next_cursor}" if page.next_cursor else ""
    context = {
        "rows": rows,
        "status": status,
        "tabs": tabs,
        "pending": selectors.pending_count(),
        "next_url": next_url,
        "note_max": REVIEW_NOTE_MAX,
        "nav_section": "me",
    }
    return render(request, "shops/review.html", context)


@login_required
@require_POST
def review_action(request: HttpRequest, shop_id: int, action: str) -> HttpResponse:
    operator = _operator(request)
    try:
        shop = access.visible_shop_or_404(operator, shop_id=shop_id)
    except NotFound:
        raise Http404 from None
    status = request.POST.get("status", "")
    back = (
        reverse("shops:review")
        + f"?status={status if status in selectors.QUEUE_STATUSES else states.PENDING}"
    )
    try:
        services.shop_review_action(
            operator=operator, shop=shop, action=action, note=_post(request, "note", REVIEW_NOTE_MAX)
        )
    except HavenError as exc:
        flash.error(request, _friendly(exc))
        return redirect(back)
    done = {
        "approve": _("%(name)s is approved and open."),
        "reject": _("%(name)s is not approved; the owner sees your note."),
        "suspend": _("%(name)s is suspended."),
        "reinstate": _("%(name)s is open again."),
    }
    flash.success(request, done[action] % {"name": shop.name})
    return redirect(back)
