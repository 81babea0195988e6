"""Shop pages: the public shop page (phone first, language, sections), opening, My shops, managing,
and the operators' queue; refusals are messages, never 500s."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.safestring import mark_safe

from haven.accounts.tests.factories import UserFactory
from haven.shops import sections, services, states
from haven.shops.models import ShippingRate, Shop, ShopStaff
from haven.shops.sections import register_shop_section, unregister_shop_section
from haven.shops.tests.factories import make_shop, operator

pytestmark = pytest.mark.django_db
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_public_page_shows_the_shop_in_the_reader_language() -> None:
    shop = make_shop(kind="brand")
    services.shipping_rate_set(actor=shop.owner, shop=shop, region="CN", mode="flat", amount=1200)
    html = _client().get(f"/shop/{shop.slug}/", **PHONE).content.decode()
    assert shop.name in html and "Handmade ceramics." in html and "手工陶瓷" not in html
    assert "Brand" in html and "No ratings yet" in html and "¥12.00 per order" in html
    assert "7 days." in html and "Manage shop" not in html
    zh = UserFactory(interface_language="zh-hans")
    html_zh = _client(zh).get(f"/shop/{shop.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "手工陶瓷。" in html_zh
    assert "Manage shop" in _client(shop.owner).get(f"/shop/{shop.slug}/").content.decode()
    assert _client().get(f"/shop/{shop.pk}/").status_code == 302  # by id -> its address


def test_sections_registered_by_higher_apps_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sections, "_sections", {})  # without catalog's products section
    shop = make_shop()
    assert "No products on sale yet." in _client().get(f"/shop/{shop.slug}/").content.decode()
    register_shop_section("test-a", lambda request, s: mark_safe(f'<div class="grid-a">{s.slug}</div>'))
    register_shop_section("test-b", lambda request, s: None)
    register_shop_section("test-c", lambda request, s: "<b>escaped</b>")
    try:
        html = _client().get(f"/shop/{shop.slug}/").content.decode()
    finally:
        for name in ("test-a", "test-b", "test-c"):
            unregister_shop_section(name)
    assert f'<div class="grid-a">{shop.slug}</div>' in html
    assert "&lt;b&gt;escaped&lt;/b&gt;" in html and "No products on sale yet." not in html


def test_open_a_shop_through_the_form() -> None:
    member = UserFactory()
    client = _client(member)
    assert client.get("/shop/new/", **PHONE).status_code == 200
    form = {"name": "Moss & Stone", "slug": "moss-stone", "kind": "creator", "currency": "EUR"}
    response = client.post("/shop/new/", form)
    shop = Shop.objects.get(slug="moss-stone")
    assert response.status_code == 302 and response["Location"] == f"/shop/{shop.pk}/manage/"
    again = client.post("/shop/new/", form)
    assert again.status_code == 409 and "This shop address is taken." in again.content.decode()
    bad = client.post("/shop/new/", {**form, "slug": "x"})
    assert bad.status_code == 400
    assert _client().get("/shop/new/").status_code == 302  # log in first
    mine = client.get("/shop/mine/", **PHONE).content.decode()
    assert "Moss &amp; Stone" in mine and "waiting for review" in mine


def test_manage_page_and_actions() -> None:
    shop = make_shop(status=states.REJECTED)
    owner = shop.owner
    client = _client(owner)
    html = client.get(f"/shop/{shop.pk}/manage/", **PHONE).content.decode()
    assert "Not approved" in html and "Add a return policy." in html and "Resubmit for review" in html
    url = f"/shop/{shop.pk}/manage/"
    client.post(url + "settings/", {"name": "Renamed", "description_en": "New", "return_policy": "14 days"})
    assert Shop.objects.get(pk=shop.pk).name == "Renamed"
    client.post(url + "rate-set/", {"region": "*", "mode": "per_item", "amount": "3.50"})
    assert ShippingRate.objects.get(shop=shop).amount == 350
    refused = client.post(url + "rate-set/", {"region": "US", "mode": "flat", "amount": "abc"}, follow=True)
    assert "Enter a price such as 12.50." in refused.content.decode()
    helper = UserFactory()
    client.post(url + "staff-add/", {"username": helper.username, "role": "fulfilment"})
    assert ShopStaff.objects.filter(shop=shop, user=helper, role="fulfilment").exists()
    client.post(url + "staff-role/", {"username": helper.username, "role": "manager"})
    assert ShopStaff.objects.get(shop=shop, user=helper).role == "manager"
    client.post(url + "resubmit/")
    assert Shop.objects.get(pk=shop.pk).status == states.PENDING
    assert "Waiting for review" in client.get(url).content.decode()
    assert _client(UserFactory()).post(url + "settings/", {"name": "x"}).status_code == 404
    assert client.post(url + "nonsense/").status_code == 404


def test_review_queue_for_operators_only() -> None:
    shop = make_shop(status=states.PENDING)
    assert _client(shop.owner).get("/shop/review/").status_code == 404
    op = _client(operator())
    html = op.get("/shop/review/", **PHONE).content.decode()
    assert shop.name in html and "Approve" in html
    response = op.post(f"/shop/review/{shop.pk}/reject/", {"note": "", "status": "pending"}, follow=True)
    assert "Say why" in response.content.decode()
    op.post(f"/shop/review/{shop.pk}/approve/", {"status": "pending"})
    assert Shop.objects.get(pk=shop.pk).status == states.ACTIVE
    op.post(f"/shop/review/{shop.pk}/suspend/", {"note": "Fake", "status": "active"})
    assert Shop.objects.get(pk=shop.pk).status == states.SUSPENDED
    assert "Reinstate" in op.get("/shop/review/?status=suspended").content.decode()
    assert op.post(f"/shop/review/{2**63}/approve/").status_code == 404
    assert _client(UserFactory()).post(f"/shop/review/{shop.pk}/reinstate/").status_code == 404


def test_countries_are_named_in_the_viewer_language() -> None:
    shop = make_shop()
    owner = shop.owner
    assert owner is not None
    client = _client(owner)
    url = f"/shop/{shop.pk}/manage/"
    picker = client.get(url).content.decode()
    assert '<option value="CN">China</option>' in picker and '<option value="AD">Andorra</option>' in picker
    saved = client.post(url + "rate-set/", {"region": "CN", "mode": "flat", "amount": "12"}, follow=True)
    assert "Shipping to China is saved." in saved.content.decode()
    services.shipping_rate_set(actor=owner, shop=shop, region="AD", mode="flat", amount=500)
    page = _client().get(f"/shop/{shop.slug}/").content.decode()
    assert "<dt>Andorra</dt>" in page and "<dt>China</dt>" in page and "<dt>CN</dt>" not in page
    zh = UserFactory(interface_language="zh-hans")
    page_zh = _client(zh).get(f"/shop/{shop.slug}/").content.decode()
    assert "<dt>中国</dt>" in page_zh and "<dt>安道尔</dt>" in page_zh
