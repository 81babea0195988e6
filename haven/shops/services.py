"""Writes of shops: open, update, the review lifecycle, staff and shipping rates.

Refusals are haven.core.errors with stable codes (docs/shops.md lists them). Who may do what:
- open: any active member, at most OWNED_MAX shops each; the shop waits for review (pending);
- update, shipping rates, staff: the shop's owner and managers (a manager changes fulfilment staff
  only); operators review (approve, reject, suspend, reinstate) and nothing else;
- resubmit: the owner of a rejected shop.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from haven.core.input import has_bad_text, invalid_characters
from haven.core.money import check_amount, check_currency
from haven.graph.access import visible_user_or_404
from haven.media.access import usable_images
from haven.notifications.models import Notification
from haven.notifications.services import notify_about
from haven.shops import access, states
from haven.shops.models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    REST_OF_WORLD,
    RETURN_POLICY_MAX,
    REVIEW_NOTE_MAX,
    SHIPPING_REGIONS_MAX,
    SLUG_MAX,
    STAFF_MAX,
    ShippingRate,
    Shop,
    ShopStaff,
    ShopTransition,
)
from haven.shops.regions import COUNTRIES

Role = ShopStaff.Role
Verb = Notification.Verb

#: A member owns at most this many shops (any status).
OWNED_MAX = 3
#: Shops one member may try to open per hour (slug probing included; the API and the form).
OPENS_PER_HOUR = 10
SLUG_MIN = 3
SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
#: Slugs that would shadow a page under /shop/ or read as something they are not.
RESERVED_SLUGS = frozenset(
    {"new", "mine", "review", "manage", "api", "admin", "static", "media", "haven", "help", "support"}
)
#: What an operator's review may do, by its action name (the API and the review queue).
REVIEW_ACTIONS = {
    "approve": states.ACTIVE,
    "reject": states.REJECTED,
    "suspend": states.SUSPENDED,
    "reinstate": states.ACTIVE,
}


# -------------------------------------------------------------------------------------------------
# Checks


def _text(
    value: str | None, *, limit: int, field: str, required: bool = False, multiline: bool = True
) -> str:
    """Text as stored: stripped, line ends as \n (one line when not `multiline`), bounded."""
    text = str(value or "").replace("\r\n", "\n").strip()
    if has_bad_text(text):
        raise invalid_characters()
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        raise InvalidInput(_("This field is required."), code="required", details={"field": field})
    if len(text) > limit:
        raise InvalidInput(
            _("Use at most %(n)d characters.") % {"n": limit}, code="too_long", details={"field": field}
        )
    return text


def check_slug(slug: str) -> str:
    """A shop's address: 3-40 of a-z, 0-9 and inner hyphens, with a letter; not a reserved word."""
    value = (slug or "").strip().lower()
    if (
        not SLUG_MIN <= len(value) <= SLUG_MAX
        or not SLUG_RE.fullmatch(value)
        or "--" in value
        or value.isdigit()
        or value in RESERVED_SLUGS
    ):
        raise InvalidInput(
            _("Use 3 to 40 lowercase letters, digits and hyphens, with at least one letter."),
            code="invalid_slug",
        )
    return value


def check_region(region: str) -> str:
    value = (region or "").strip().upper()
    if value != REST_OF_WORLD and value not in COUNTRIES:
        raise InvalidInput(
            _('Use a two-letter country code such as CN or US, or "*" for everywhere else.'),
            code="invalid_region",
        )
    return value


def _logo(owner: Any, logo_id: int | None) -> Any:
    if not logo_id:
        return None
    return usable_images(owner, [int(logo_id)])[0]


def _require_role(actor: Any, shop: Shop, roles: tuple[str, ...] = access.MANAGE) -> str:
    """The actor's role in the shop when it is one of `roles`: NotFound for strangers, 403 for staff."""
    role = access.staff_role(actor, shop)
    if role is None:
        raise NotFound()
    if role not in roles:
        raise Forbidden(_("Only the shop's owner and managers can do that."), code="not_shop_manager")
    return role


def _require_operator(operator: Any) -> None:
    if not access.is_operator(operator):
        raise Forbidden(_("Only Haven's operators can review shops."), code="not_operator")


def _account_active(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "suspended_until", None) is None


# -------------------------------------------------------------------------------------------------
# Opening and settings


def shop_open(
    *,
    owner: Any,
    name: str,
    slug: str,
    kind: str,
    currency: str,
    description_en: str = "",
    description_zh: str = "",
    return_policy: str = "",
    logo_id: int | None = None,
) -> Shop:
    """Open a shop for `owner` (who becomes its OWNER staff); it waits for an operator's review."""
    if not _account_active(owner):
        raise Forbidden(_("A suspended account cannot open a shop."), code="account_suspended")
    name = _text(name, limit=NAME_MAX, field="name", required=True, multiline=False)
    slug = check_slug(slug)
    if kind not in Shop.Kind.values:
        raise InvalidInput(_("Choose creator or brand."), code="invalid_kind")
    currency = check_currency(currency)
    description_en = _text(description_en, limit=DESCRIPTION_MAX, field="description_en")
    description_zh = _text(description_zh, limit=DESCRIPTION_MAX, field="description_zh")
    return_policy = _text(return_policy, limit=RETURN_POLICY_MAX, field="return_policy")
    logo = _logo(owner, logo_id)
    with transaction.atomic():
        # Serialise one member's openings so two at once cannot pass the limit together.
        User.objects.select_for_update().filter(pk=owner.pk).exists()
        if Shop.objects.filter(owner=owner).count() >= OWNED_MAX:
            raise Conflict(_("You can own at most %(n)d shops.") % {"n": OWNED_MAX}, code="too_many_shops")
        if Shop.objects.filter(slug=slug).exists():
            raise Conflict(_("This shop address is taken."), code="slug_taken")
        try:
            with transaction.atomic():
                shop = Shop.objects.create(
                    owner=owner,
                    name=name,
                    slug=slug,
                    kind=kind,
                    currency=currency,
                    description_en=description_en,
                    description_zh=description_zh,
                    return_policy=return_policy,
                    logo=logo,
                    status=states.PENDING,
                )
        except IntegrityError:
            raise Conflict(_("This shop address is taken."), code="slug_taken") from None
        ShopStaff.objects.create(shop=shop, user=owner, role=Role.OWNER)
        ShopTransition.objects.create(shop=shop, src="", dst=states.PENDING, actor=owner)
    return shop


_UNSET: Any = object()


def shop_update(
    *,
    actor: Any,
    shop: Shop,
    name: str | None = None,
    description_en: str | None = None,
    description_zh: str | None = None,
    return_policy: str | None = None,
    logo_id: int | None = _UNSET,
    currency: str | None = None,
) -> Shop:
    """Change a shop's settings (owner and managers). Fields left as None stay; `logo_id=None` removes
    the logo, an id sets the actor's own uploaded image. The currency is fixed once the shop is open."""
    _require_role(actor, shop)
    changes: dict[str, Any] = {}
    if currency is not None and check_currency(currency) != shop.currency:
        raise Conflict(_("A shop's currency cannot change after opening."), code="currency_fixed")
    if name is not None:
        changes["name"] = _text(name, limit=NAME_MAX, field="name", required=True, multiline=False)
    if description_en is not None:
        changes["description_en"] = _text(description_en, limit=DESCRIPTION_MAX, field="description_en")
    if description_zh is not None:
        changes["description_zh"] = _text(description_zh, limit=DESCRIPTION_MAX, field="description_zh")
    if return_policy is not None:
        changes["return_policy"] = _text(return_policy, limit=RETURN_POLICY_MAX, field="return_policy")
    if logo_id is not _UNSET:
        changes["logo"] = _logo(actor, logo_id)
    if changes:
        for field, value in changes.items():
            setattr(shop, field, value)
        Shop.objects.filter(pk=shop.pk).update(**changes, updated_at=timezone.now())
    return shop


# -------------------------------------------------------------------------------------------------
# The review lifecycle


def _transition(*, shop: Shop, actor: Any, dst: str, note: str) -> Shop:
    src = shop.status
    states.SHOP_LIFECYCLE.check(src, dst)
    with transaction.atomic():
        moved = states.SHOP_LIFECYCLE.transition(
            Shop.objects.all(),
            pk=shop.pk,
            field="status",
            src=src,
            dst=dst,
            review_note=note,
            updated_at=timezone.now(),
        )
        if not moved:
            raise Conflict(
                _("Someone else changed this shop just now. Reload and try again."), code="stale_state"
            )
        ShopTransition.objects.create(shop=shop, src=src, dst=dst, actor=actor, note=note)
    shop.status, shop.review_note = dst, note
    return shop


#: The notification event of each review destination ("shop:<id>:<event>", notifications.notify_about).
REVIEW_EVENTS = {
    states.ACTIVE: "approved",
    states.REJECTED: "rejected",
    states.SUSPENDED: "suspended",
}


def _notify_owner(shop: Shop, operator: Any, src: str) -> None:
    """Tell the owner what the review decided (an inbox entry leading to the shop's manage page)."""
    if shop.owner_id is None:
        return
    event = (
        "reinstated"
        if src == states.SUSPENDED and shop.status == states.ACTIVE
        else REVIEW_EVENTS[shop.status]
    )
    notify_about(
        recipient_id=shop.owner_id, actor_id=operator.pk, verb=Verb.SHOP, target=f"shop:{shop.pk}:{event}"
    )


def shop_review(*, operator: Any, shop: Shop, dst: str, note: str = "") -> Shop:
    """An operator moves a shop through SHOP_LIFECYCLE (approve, reject, suspend, reinstate):
    compare-and-set, one ShopTransition, a notification to the owner. Rejecting and suspending need
    a note the owner reads."""
    _require_operator(operator)
    note = _text(note, limit=REVIEW_NOTE_MAX, field="note")
    if dst in (states.REJECTED, states.SUSPENDED) and not note:
        raise InvalidInput(_("Say why, so the owner knows what to fix."), code="note_required")
    if dst == states.ACTIVE and shop.owner_id is None:
        raise Conflict(_("This shop has no owner any more."), code="shop_without_owner")
    src = shop.status
    with transaction.atomic():
        shop = _transition(shop=shop, actor=operator, dst=dst, note=note)
        _notify_owner(shop, operator, src)
    return shop


def shop_review_action(*, operator: Any, shop: Shop, action: str, note: str = "") -> Shop:
    """`shop_review` by action name (approve, reject, suspend, reinstate), as the queue and API say."""
    dst = REVIEW_ACTIONS.get(action)
    if dst is None:
        raise InvalidInput(_("Unknown review action."), code="invalid_action")
    expected_src = {"approve": states.PENDING, "reinstate": states.SUSPENDED}.get(action)
    if expected_src is not None and shop.status != expected_src:
        raise Conflict(f"shop: cannot {action} a {shop.status} shop", code="invalid_transition")
    return shop_review(operator=operator, shop=shop, dst=dst, note=note)


def shop_resubmit(*, actor: Any, shop: Shop) -> Shop:
    """The owner asks again after a rejection (rejected -> pending)."""
    _require_role(actor, shop, (Role.OWNER,))
    return _transition(shop=shop, actor=actor, dst=states.PENDING, note="")


# -------------------------------------------------------------------------------------------------
# Staff


def _check_role(role: str) -> str:
    if role not in (Role.MANAGER, Role.FULFILMENT):
        raise InvalidInput(_("Choose manager or fulfilment."), code="invalid_role")
    return role


def _may_manage(actor_role: str, role: str) -> bool:
    """Whether someone with `actor_role` may add, remove or assign a member with `role`."""
    if role == Role.OWNER:
        return False
    return actor_role == Role.OWNER or (actor_role == Role.MANAGER and role == Role.FULFILMENT)


def _staff_row(shop: Shop, username: str) -> ShopStaff:
    row = (
        ShopStaff.objects.select_related("user")
        .filter(shop=shop, user__username=str(username or "")[:150])
        .first()
    )
    if row is None:
        raise NotFound(_("This member does not work in this shop."))
    return row


def staff_add(*, actor: Any, shop: Shop, username: str, role: str) -> ShopStaff:
    """Add a member to the shop's staff (owner: managers and fulfilment; manager: fulfilment)."""
    actor_role = _require_role(actor, shop)
    role = _check_role(role)
    if not _may_manage(actor_role, role):
        raise Forbidden(_("Only the owner can add managers."), code="not_shop_owner")
    member = visible_user_or_404(actor, str(username or "").lstrip("@")[:150])
    if not _account_active(member):
        raise NotFound()
    with transaction.atomic():
        Shop.objects.select_for_update().filter(pk=shop.pk).exists()
        if ShopStaff.objects.filter(shop=shop, user=member).exists():
            raise Conflict(_("This member already works in this shop."), code="already_staff")
        if ShopStaff.objects.filter(shop=shop).count() >= STAFF_MAX:
            raise Conflict(_("A shop has at most %(n)d staff.") % {"n": STAFF_MAX}, code="too_many_staff")
        return ShopStaff.objects.create(shop=shop, user=member, role=role)


def staff_remove(*, actor: Any, shop: Shop, username: str) -> None:
    """Remove someone from the staff. Members may leave themselves; the owner cannot be removed."""
    row = _staff_row(shop, username)
    if row.role == Role.OWNER:
        raise Conflict(_("The owner cannot be removed from the shop."), code="owner_stays")
    if row.user_id == getattr(actor, "pk", None):
        row.delete()
        return
    actor_role = _require_role(actor, shop)
    if not _may_manage(actor_role, row.role):
        raise Forbidden(_("Only the owner can remove managers."), code="not_shop_owner")
    row.delete()


def staff_set_role(*, actor: Any, shop: Shop, username: str, role: str) -> ShopStaff:
    """Change a staff member's role between manager and fulfilment (the owner only, for managers)."""
    actor_role = _require_role(actor, shop)
    role = _check_role(role)
    row = _staff_row(shop, username)
    if row.role == Role.OWNER:
        raise Conflict(_("The owner's role cannot change."), code="owner_stays")
    if not (_may_manage(actor_role, row.role) and _may_manage(actor_role, role)):
        raise Forbidden(_("Only the owner can change managers."), code="not_shop_owner")
    ShopStaff.objects.filter(pk=row.pk).update(role=role)
    row.role = role
    return row


# -------------------------------------------------------------------------------------------------
# Shipping rates


def shipping_rate_set(*, actor: Any, shop: Shop, region: str, mode: str, amount: int) -> ShippingRate:
    """Set what shipping to `region` (a country, or "*" for everywhere else) costs, in the shop's
    currency's minor units; `mode` is flat (per order) or per_item."""
    _require_role(actor, shop)
    region = check_region(region)
    if mode not in ShippingRate.Mode.values:
        raise InvalidInput(_("Choose a flat rate or a rate per item."), code="invalid_mode")
    amount = check_amount(amount)
    with transaction.atomic():
        Shop.objects.select_for_update().filter(pk=shop.pk).exists()
        existing = ShippingRate.objects.filter(shop=shop, region=region).first()
        if existing is not None:
            ShippingRate.objects.filter(pk=existing.pk).update(mode=mode, amount=amount)
            existing.mode, existing.amount = mode, amount
            return existing
        if ShippingRate.objects.filter(shop=shop).count() >= SHIPPING_REGIONS_MAX:
            raise Conflict(
                _("A shop has at most %(n)d shipping rates.") % {"n": SHIPPING_REGIONS_MAX},
                code="too_many_regions",
            )
        return ShippingRate.objects.create(shop=shop, region=region, mode=mode, amount=amount)


def shipping_rate_delete(*, actor: Any, shop: Shop, region: str) -> bool:
    """Stop shipping to `region`; True when a rate was removed."""
    _require_role(actor, shop)
    region = check_region(region)
    return bool(ShippingRate.objects.filter(shop=shop, region=region).delete()[0])


# -------------------------------------------------------------------------------------------------
# Counters other apps keep (F() updates, rule 5)


def shop_count_sold(*, shop_id: int, items: int) -> None:
    """Add `items` sold to the shop's counter (orders, when an order is paid; negative on refunds)."""
    if items >= 0:
        Shop.objects.filter(pk=shop_id).update(sold_count=F("sold_count") + items)
    else:
        Shop.objects.filter(pk=shop_id, sold_count__gte=-items).update(sold_count=F("sold_count") + items)


# -------------------------------------------------------------------------------------------------
# Moderation and erasure (system actions: no operator in the request)


def shop_moderation_remove(*, shop: Shop, reason: str) -> bool:
    """A moderation decision removed a reported shop: an open shop is suspended (reinstating it is the
    operators' review queue). True when it was suspended now."""
    if shop.status != states.ACTIVE:
        return False
    note = _text(reason, limit=REVIEW_NOTE_MAX, field="reason") or _("Removed after a report.")
    _transition(shop=shop, actor=None, dst=states.SUSPENDED, note=note)
    return True


def shop_owner_erased(*, shop: Shop) -> None:
    """The owner's account is being erased and orders keep the shop as a business record: it loses its
    owner and is suspended for good (outside the graph: no review can reopen a shop without owner)."""
    note = "The owner's account was deleted."
    with transaction.atomic():
        src = Shop.objects.select_for_update().values_list("status", flat=True).get(pk=shop.pk)
        Shop.objects.filter(pk=shop.pk).update(
            owner=None, status=states.SUSPENDED, review_note=note, updated_at=timezone.now()
        )
        if src != states.SUSPENDED:
            ShopTransition.objects.create(shop=shop, src=src, dst=states.SUSPENDED, actor=None, note=note)
