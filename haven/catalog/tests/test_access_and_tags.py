"""Who sees which products, product tags on notes, and tag taps as the attribution of purchases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.catalog import access, services
from haven.catalog.models import TAGS_PER_NOTE_MAX, NoteProductTag, TagClick, Variant
from haven.catalog.selectors import attributed_note_id
from haven.catalog.tests.world import product, shop, staff
from haven.core.errors import HavenError, NotFound
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, block

pytestmark = pytest.mark.django_db


def test_visibility_of_products() -> None:
    on_sale = product()
    draft = product(on_sale.shop, status="draft")
    archived = product(on_sale.shop, status="archived")
    suspended = product(shop(status="suspended"))
    stranger, worker, operator = UserFactory(), staff(on_sale.shop, "fulfilment"), UserFactory(is_staff=True)
    for viewer in (None, AnonymousUser(), stranger):
        assert set(access.visible_products(viewer)) == {on_sale}
        for hidden in (draft, archived, suspended):
            with pytest.raises(NotFound):
                access.visible_product_or_404(viewer, hidden.pk)
    assert set(access.visible_products(worker)) == {on_sale, draft, archived}
    assert set(access.visible_products(operator)) == {on_sale, draft, archived, suspended}
    assert access.visible_product_or_404(suspended.shop.owner, suspended.pk) == suspended
    for bad in (0, -1, "x", 2**64, None, True):
        with pytest.raises(NotFound):
            access.visible_product_or_404(stranger, bad)


def test_buyable_variant() -> None:
    p = product(variants=2)
    first, second = list(p.variants.all())
    assert access.buyable_variant_or_404(first.pk) == first
    Variant.objects.filter(pk=second.pk).update(is_active=False)
    with pytest.raises(NotFound):
        access.buyable_variant_or_404(second.pk)
    for hidden in (product(status="draft"), product(shop(status="pending"))):
        with pytest.raises(NotFound):
            access.buyable_variant_or_404(hidden.variants.first().pk)


def test_note_tags_set_rules() -> None:
    note = NoteFactory(images=2)
    author = note.author
    a, b = product(), product(title="Vase")
    tags = services.note_tags_set(
        author=author,
        note=note,
        tags=[{"product_id": b.pk, "image_index": 1, "x": 500, "y": 1000}, {"product_id": a.pk}],
    )
    assert [(t.product_id, t.position, t.image_index) for t in tags] == [(b.pk, 0, 1), (a.pk, 1, None)]
    services.note_tags_set(author=author, note=note.pk, tags=[{"product_id": a.pk}])
    assert list(NoteProductTag.objects.filter(note=note).values_list("product_id", flat=True)) == [a.pk]
    with pytest.raises(NotFound):
        services.note_tags_set(author=UserFactory(), note=note, tags=[])
    cases = [
        ([{"product_id": a.pk}, {"product_id": a.pk}], "duplicate_tag"),
        ([{"product_id": product(status="draft").pk}], "product_not_taggable"),
        ([{"product_id": product(shop(status="suspended")).pk}], "product_not_taggable"),
        ([{"product_id": 2**62}], "product_not_taggable"),
        ([{"product_id": a.pk, "image_index": 2, "x": 1, "y": 1}], "tag_image_missing"),
        ([{"product_id": a.pk, "image_index": 0, "x": 1001, "y": 1}], "invalid_tag_point"),
        ([{"product_id": a.pk, "image_index": 0, "x": 5}], "invalid_tag_point"),
        ([{"product_id": product().pk} for _ in range(TAGS_PER_NOTE_MAX + 1)], "too_many_tags"),
    ]
    for payload, expected in cases:
        with pytest.raises(HavenError) as err:
            services.note_tags_set(author=author, note=note, tags=payload)
        assert err.value.code == expected, payload
    assert NoteProductTag.objects.filter(note=note).count() == 1  # refusals change nothing


def test_note_tags_for_hides_products_that_went_off_sale() -> None:
    note = NoteFactory()
    a, b = product(), product()
    services.note_tags_set(author=note.author, note=note, tags=[{"product_id": a.pk}, {"product_id": b.pk}])
    b.status = "archived"
    b.save()
    assert [t.product_id for t in access.note_tags_for(None, note)] == [a.pk]
    assert [t.product_id for t in access.note_tags_for(b.shop.owner, note)] == [a.pk, b.pk]


def test_tag_click_attribution() -> None:
    note = NoteFactory()
    p, other = product(), product()
    services.note_tags_set(author=note.author, note=note, tags=[{"product_id": p.pk}])
    buyer = UserFactory()
    click = services.tag_click_record(user=buyer, note=note.pk, product=p.pk)
    assert click is not None
    assert services.tag_click_record(user=buyer, note=note, product=p) == click  # once a minute
    assert TagClick.objects.count() == 1
    assert attributed_note_id(user=buyer, product_id=p.pk) == note.pk
    assert attributed_note_id(user=buyer, product_id=p.pk, now=timezone.now() + timedelta(days=8)) is None
    # Not tagged there, or a note the member cannot see: nothing recorded.
    with pytest.raises(NotFound):
        services.tag_click_record(user=buyer, note=note, product=other)
    private = NoteFactory(author=note.author, visibility=Visibility.PRIVATE)
    NoteProductTag.objects.create(note=private, product=p)
    with pytest.raises(NotFound):
        services.tag_click_record(user=buyer, note=private.pk, product=p.pk)
    blocked = UserFactory()
    block(note.author, blocked)
    with pytest.raises(NotFound):
        services.tag_click_record(user=blocked, note=note.pk, product=p.pk)
    # Anonymous visitors and the author themselves are not attributed.
    assert services.tag_click_record(user=AnonymousUser(), note=note.pk, product=p.pk) is None
    assert services.tag_click_record(user=note.author, note=note, product=p) is None
    # Last click wins.
    later = NoteFactory()
    NoteProductTag.objects.create(note=later, product=p)
    TagClick.objects.filter(pk=click.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    services.tag_click_record(user=buyer, note=later, product=p)
    assert attributed_note_id(user=buyer, product_id=p.pk) == later.pk
