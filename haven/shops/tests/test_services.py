"""Shop services: opening, settings, the review lifecycle, staff roles and shipping rates (both profiles)."""

from __future__ import annotations

import pytest

from haven.accounts.tests.factories import UserFactory
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from haven.notes.tests.factories import MediaImageFactory
from haven.notifications.models import Notification
from haven.shops import selectors, services, states
from haven.shops.models import STAFF_MAX, ShippingRate, Shop, ShopStaff, ShopTransition
from haven.shops.tests.factories import make_shop, operator

pytestmark = pytest.mark.django_db


def _open(owner, **kw):  # type: ignore[no-untyped-def]
    values = {"name": "Lin's Ceramics", "slug": "lin-ceramics", "kind": "creator", "currency": "cny"}
    values.update(kw)
    return services.shop_open(owner=owner, **values)


def test_open_makes_the_owner_owner_staff_and_waits_for_review() -> None:
    owner = UserFactory()
    logo = MediaImageFactory(owner=owner)
    shop = _open(owner, description_en="  Cups  ", logo_id=logo.pk)
    assert shop.status == states.PENDING and shop.currency == "CNY" and shop.description_en == "Cups"
    assert shop.logo_id == logo.pk
    assert ShopStaff.objects.get(shop=shop).role == ShopStaff.Role.OWNER
    assert list(ShopTransition.objects.filter(shop=shop).values_list("src", "dst")) == [("", "pending")]


@pytest.mark.parametrize(
    "slug", ["ab", "Has Space", "-lead", "trail-", "a--b", "1234", "new", "mine", "x" * 41, "ünï"]
)
def test_bad_slugs_are_refused(slug: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        _open(UserFactory(), slug=slug)
    assert exc.value.code == "invalid_slug"


def test_slug_taken_currency_kind_logo_and_limits() -> None:
    owner = UserFactory()
    _open(owner)
    with pytest.raises(Conflict) as exc:
        _open(UserFactory(), slug="LIN-ceramics")
    assert exc.value.code == "slug_taken"
    with pytest.raises(InvalidInput) as exc2:
        _open(owner, slug="other", currency="XXX")
    assert exc2.value.code == "invalid_currency"
    with pytest.raises(InvalidInput) as exc3:
        _open(owner, slug="other", kind="mall")
    assert exc3.value.code == "invalid_kind"
    foreign = MediaImageFactory()
    with pytest.raises(InvalidInput) as exc4:
        _open(owner, slug="other", logo_id=foreign.pk)
    assert exc4.value.code == "invalid_images"
    with pytest.raises(InvalidInput) as exc5:
        _open(owner, slug="other", name="   ")
    assert exc5.value.code == "required"
    _open(owner, slug="second")
    _open(owner, slug="third")
    with pytest.raises(Conflict) as exc6:
        _open(owner, slug="fourth")
    assert exc6.value.code == "too_many_shops"


def test_a_suspended_account_cannot_open_a_shop() -> None:
    from django.utils import timezone

    member = UserFactory(suspended_until=timezone.now() + timezone.timedelta(days=3))
    with pytest.raises(Forbidden) as exc:
        _open(member)
    assert exc.value.code == "account_suspended"


def test_update_by_owner_and_manager_currency_fixed_strangers_refused() -> None:
    shop = make_shop()
    owner = shop.owner
    manager, stranger = UserFactory(), UserFactory()
    services.staff_add(actor=owner, shop=shop, username=manager.username, role="manager")
    services.shop_update(actor=manager, shop=shop, name="New name", description_zh="新的")
    shop.refresh_from_db()
    assert (shop.name, shop.description_zh, shop.description_en) == ("New name", "新的", "Handmade ceramics.")
    with pytest.raises(Conflict) as exc:
        services.shop_update(actor=owner, shop=shop, currency="USD")
    assert exc.value.code == "currency_fixed"
    services.shop_update(actor=owner, shop=shop, currency="cny")  # the same currency is fine
    with pytest.raises(NotFound):
        services.shop_update(actor=stranger, shop=shop, name="Mine now")
    logo = MediaImageFactory(owner=manager)
    services.shop_update(actor=manager, shop=shop, logo_id=logo.pk)
    assert Shop.objects.get(pk=shop.pk).logo_id == logo.pk
    services.shop_update(actor=manager, shop=shop, logo_id=None)
    assert Shop.objects.get(pk=shop.pk).logo_id is None


def test_review_lifecycle_audits_notifies_and_refuses_illegal_moves() -> None:
    shop = make_shop(status=states.PENDING)
    op = operator()
    with pytest.raises(Forbidden):
        services.shop_review(operator=shop.owner, shop=shop, dst=states.ACTIVE)
    with pytest.raises(InvalidInput) as exc:
        services.shop_review(operator=op, shop=shop, dst=states.REJECTED, note="")
    assert exc.value.code == "note_required"
    services.shop_review(operator=op, shop=shop, dst=states.REJECTED, note="Add a return policy")
    assert Shop.objects.get(pk=shop.pk).review_note == "Add a return policy"
    entry = Notification.objects.get(recipient=shop.owner, verb=Notification.Verb.SHOP)
    assert entry.target == f"shop:{shop.pk}:rejected"
    with pytest.raises(Conflict) as exc2:
        services.shop_review(operator=op, shop=shop, dst=states.ACTIVE)
    assert exc2.value.code == "invalid_transition"
    with pytest.raises(NotFound):
        services.shop_resubmit(actor=UserFactory(), shop=shop)
    services.shop_resubmit(actor=shop.owner, shop=shop)
    services.shop_review_action(operator=op, shop=shop, action="approve")
    services.shop_review_action(operator=op, shop=shop, action="suspend", note="Fake goods")
    with pytest.raises(Conflict) as exc3:
        services.shop_review_action(operator=op, shop=shop, action="approve")
    assert exc3.value.code == "invalid_transition"
    services.shop_review_action(operator=op, shop=shop, action="reinstate")
    path = list(ShopTransition.objects.filter(shop=shop).values_list("dst", flat=True))
    assert path == ["pending", "rejected", "pending", "active", "suspended", "active"]
    events = set(Notification.objects.filter(recipient=shop.owner).values_list("target", flat=True))
    assert {f"shop:{shop.pk}:{e}" for e in ("rejected", "approved", "suspended", "reinstated")} <= events


def test_review_is_compare_and_set() -> None:
    shop = make_shop(status=states.PENDING)
    stale = Shop.objects.get(pk=shop.pk)
    services.shop_review(operator=operator(), shop=shop, dst=states.ACTIVE)
    with pytest.raises(Conflict) as exc:
        services.shop_review(operator=operator(), shop=stale, dst=states.REJECTED, note="late")
    assert exc.value.code == "stale_state"
    assert Shop.objects.get(pk=shop.pk).status == states.ACTIVE


def test_staff_roles() -> None:
    shop = make_shop()
    owner = shop.owner
    manager, packer, other = UserFactory(), UserFactory(), UserFactory()
    services.staff_add(actor=owner, shop=shop, username=manager.username, role="manager")
    with pytest.raises(Forbidden) as exc:
        services.staff_add(actor=manager, shop=shop, username=other.username, role="manager")
    assert exc.value.code == "not_shop_owner"
    services.staff_add(actor=manager, shop=shop, username="@" + packer.username, role="fulfilment")
    with pytest.raises(Conflict) as exc2:
        services.staff_add(actor=owner, shop=shop, username=packer.username, role="manager")
    assert exc2.value.code == "already_staff"
    with pytest.raises(InvalidInput):
        services.staff_add(actor=owner, shop=shop, username=other.username, role="owner")
    with pytest.raises(Forbidden):
        services.staff_add(actor=packer, shop=shop, username=other.username, role="fulfilment")
    with pytest.raises(NotFound):
        services.staff_add(actor=owner, shop=shop, username="nobody-here", role="fulfilment")
    # Roles: the owner only for managers; nobody changes or removes the owner.
    with pytest.raises(Forbidden):
        services.staff_set_role(actor=manager, shop=shop, username=packer.username, role="manager")
    services.staff_set_role(actor=owner, shop=shop, username=packer.username, role="manager")
    with pytest.raises(Forbidden):
        services.staff_remove(actor=manager, shop=shop, username=packer.username)
    with pytest.raises(Conflict) as exc3:
        services.staff_remove(actor=manager, shop=shop, username=owner.username)
    assert exc3.value.code == "owner_stays"
    with pytest.raises(Conflict):
        services.staff_set_role(actor=owner, shop=shop, username=owner.username, role="manager")
    services.staff_remove(actor=packer, shop=shop, username=packer.username)  # leaving
    services.staff_remove(actor=owner, shop=shop, username=manager.username)
    assert list(ShopStaff.objects.filter(shop=shop).values_list("role", flat=True)) == ["owner"]


def test_staff_is_bounded() -> None:
    shop = make_shop()
    for member in UserFactory.create_batch(STAFF_MAX - 1):
        services.staff_add(actor=shop.owner, shop=shop, username=member.username, role="fulfilment")
    with pytest.raises(Conflict) as exc:
        services.staff_add(actor=shop.owner, shop=shop, username=UserFactory().username, role="fulfilment")
    assert exc.value.code == "too_many_staff"


def test_shipping_rates_and_quotes() -> None:
    shop = make_shop()
    owner = shop.owner
    services.shipping_rate_set(actor=owner, shop=shop, region="cn", mode="flat", amount=1000)
    services.shipping_rate_set(actor=owner, shop=shop, region="*", mode="per_item", amount=500)
    assert selectors.shipping_quote(shop, country="CN", items=3) == 1000
    assert selectors.shipping_quote(shop, country="us", items=3) == 1500
    services.shipping_rate_set(actor=owner, shop=shop, region="CN", mode="per_item", amount=200)
    assert selectors.shipping_quote(shop, country="CN", items=3) == 600
    assert ShippingRate.objects.filter(shop=shop).count() == 2
    services.shipping_rate_delete(actor=owner, shop=shop, region="*")
    assert selectors.shipping_quote(shop, country="US", items=1) is None
    assert [r.region for r in selectors.shipping_rates(shop)] == ["CN"]
    for region, code in (("ZZ", "invalid_region"), ("CHN", "invalid_region"), ("", "invalid_region")):
        with pytest.raises(InvalidInput) as exc:
            services.shipping_rate_set(actor=owner, shop=shop, region=region, mode="flat", amount=1)
        assert exc.value.code == code
    with pytest.raises(InvalidInput) as exc2:
        services.shipping_rate_set(actor=owner, shop=shop, region="US", mode="flat", amount=-1)
    assert exc2.value.code == "invalid_amount"
    with pytest.raises(InvalidInput):
        services.shipping_rate_set(actor=owner, shop=shop, region="US", mode="free", amount=1)
    with pytest.raises(NotFound):
        services.shipping_rate_set(actor=UserFactory(), shop=shop, region="US", mode="flat", amount=1)


def test_shipping_regions_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "SHIPPING_REGIONS_MAX", 2)
    shop = make_shop()
    services.shipping_rate_set(actor=shop.owner, shop=shop, region="CN", mode="flat", amount=1)
    services.shipping_rate_set(actor=shop.owner, shop=shop, region="US", mode="flat", amount=1)
    services.shipping_rate_set(actor=shop.owner, shop=shop, region="US", mode="flat", amount=2)  # replace
    with pytest.raises(Conflict) as exc:
        services.shipping_rate_set(actor=shop.owner, shop=shop, region="JP", mode="flat", amount=1)
    assert exc.value.code == "too_many_regions"


def test_description_follows_the_reader_language() -> None:
    shop = make_shop()
    assert selectors.description_for(shop, "zh-hans") == "手工陶瓷。"
    assert selectors.description_for(shop, "en") == "Handmade ceramics."
    shop.description_zh = ""
    assert selectors.description_for(shop, "zh-hans") == "Handmade ceramics."
    shop.description_zh, shop.description_en = "只有中文", ""
    assert selectors.description_for(shop, "en") == "只有中文"


def test_sold_counter() -> None:
    shop = make_shop()
    services.shop_count_sold(shop_id=shop.pk, items=3)
    services.shop_count_sold(shop_id=shop.pk, items=-1)
    services.shop_count_sold(shop_id=shop.pk, items=-10)  # never below zero
    assert Shop.objects.get(pk=shop.pk).sold_count == 2
