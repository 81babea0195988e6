"""Catalog in the cross-cutting registries: personal data, retention, reportables, searchables, shop page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.catalog import personal_data, retention
from haven.catalog.models import NoteProductTag, Product, TagClick
from haven.catalog.tests.world import product, shop
from haven.core import personal_data as registry
from haven.core import reportables, searchables
from haven.core.retention import retention_rules
from haven.notes.tests.factories import NoteFactory
from haven.shops.sections import render_sections

pytestmark = pytest.mark.django_db


def test_tag_clicks_are_exported_erased_and_pruned() -> None:
    member = UserFactory()
    note = NoteFactory()
    p = product()
    NoteProductTag.objects.create(note=note, product=p)
    TagClick.objects.create(user=member, note=note, product=p)
    old = TagClick.objects.create(user=UserFactory(), note=note, product=p)
    TagClick.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert registry.registration_for(TagClick) is not None
    assert [row["product_id"] for row in personal_data.export_tag_clicks(member)] == [p.pk]
    assert [row["product"] for row in personal_data.export_note_tags(note.author)] == [p.title]
    assert "catalog_tag_clicks" in {r.kind for r in retention_rules()}
    assert retention.prune_tag_clicks(timezone.now() - timedelta(days=90)) == 1
    assert personal_data.erase_tag_clicks(member) == 1
    assert personal_data.erase_tag_clicks(member) == 0
    assert not TagClick.objects.exists()


def test_products_are_reportable_and_removal_takes_them_off_sale() -> None:
    p = product()
    kind = reportables.get("product")
    assert kind is not None and "catalog.Product" in reportables.covered_models()
    assert kind.visible_to(UserFactory(), p.pk) == p
    assert kind.visible_to(UserFactory(), product(status="draft").pk) is None
    target = kind.describe(p)
    assert target.title == p.title and target.author_id == p.shop.owner_id
    assert kind.set_state is not None
    kind.set_state(p, reportables.ModerationState.REMOVED, "fake")
    p.refresh_from_db()
    assert p.status == Product.Status.ARCHIVED


def test_products_are_searchable_while_on_sale() -> None:
    kind = searchables.get("product")
    assert kind is not None
    on_sale, draft = product(title="Celadon cup"), product(status="draft")
    docs = kind.documents([on_sale.pk, draft.pk])
    assert list(docs) == [on_sale.pk] and "Celadon cup" in docs[on_sale.pk].head
    assert list(kind.visible(None, [on_sale.pk, draft.pk])) == [on_sale.pk]
    assert kind.cards(None, [on_sale])[on_sale.pk]["title"] == "Celadon cup"


def test_shop_page_section_lists_products() -> None:
    s = shop()
    product(s, title="Jasmine tea")
    product(s, title="Secret draft", status="draft")
    request = RequestFactory().get(f"/shop/{s.slug}/")
    request.user = UserFactory()
    html = "".join(render_sections(request, s))
    assert "Jasmine tea" in html and "Secret draft" not in html
    request.user = s.owner
    assert "Secret draft" in "".join(render_sections(request, s))
