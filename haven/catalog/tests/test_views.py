"""The catalog's pages: product page (hidden products 404, attribution through ?from_note), the note
strip, the seller's editor and list, and the tag page."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import NoteProductTag, Product, TagClick, Variant
from haven.catalog.tests.world import product, shop, staff
from haven.notes.tests.factories import MediaImageFactory, NoteFactory

pytestmark = pytest.mark.django_db


def member(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_product_page_renders_price_variants_and_shop() -> None:
    p = product(variants=3, stock=3)
    Variant.objects.filter(product=p, sku="SKU-2").update(stock=0, compare_at_price=99999)
    html = Client().get(f"/products/{p.pk}/").content.decode()
    assert p.title in html and p.shop.name in html
    assert "¥128.00" in html and "Only 3 left" in html
    assert 'data-value="L" aria-pressed="false" data-sold-out="true"' in html
    assert 'name="variant_id"' in html and 'name="quantity"' in html
    assert "Notes about this product" not in html


def test_hidden_products_are_404_and_staff_see_drafts() -> None:
    draft = product(status="draft")
    assert Client().get(f"/products/{draft.pk}/").status_code == 404
    assert member(UserFactory()).get(f"/products/{draft.pk}/").status_code == 404
    assert Client().get("/products/999999/").status_code == 404
    page = member(draft.shop.owner).get(f"/products/{draft.pk}/")
    assert page.status_code == 200 and "Edit product" in page.content.decode()


def test_from_note_records_the_tap_only_when_the_note_tags_the_product() -> None:
    p = product()
    note = NoteFactory()
    other = NoteFactory()
    NoteProductTag.objects.create(note=note, product=p)
    buyer = member(UserFactory())
    html = buyer.get(f"/products/{p.pk}/?from_note={note.pk}").content.decode()
    assert f'name="from_note" value="{note.pk}"' in html
    assert TagClick.objects.filter(note=note, product=p).count() == 1
    html = buyer.get(f"/products/{p.pk}/?from_note={other.pk}").content.decode()
    assert 'name="from_note"' not in html
    assert buyer.get(f"/products/{p.pk}/?from_note=abc").status_code == 200
    assert TagClick.objects.count() == 1
    # The product page lists the notes that tag it.
    assert "Notes about this product" in buyer.get(f"/products/{p.pk}/").content.decode()


def test_note_products_tag_renders_cards_and_pins() -> None:
    p = product(title="Blue vase")
    note = NoteFactory()
    NoteProductTag.objects.create(note=note, product=p, image_index=0, x=200, y=300)
    html = Template("{% load catalog_tags %}{% note_products note viewer %}").render(
        Context({"note": note, "viewer": UserFactory(), "csp_nonce": "n"})
    )
    assert "Blue vase" in html and f"/products/{p.pk}/?from_note={note.pk}" in html
    assert '"x": 200' in html and "note_tags.js" in html
    empty = Template("{% load catalog_tags %}{% note_products note viewer %}").render(
        Context({"note": NoteFactory(), "viewer": None})
    )
    assert "product" not in empty.lower()


def test_translate_fragment() -> None:
    p = product(title="手工青瓷茶杯")
    response = Client().get(f"/products/{p.pk}/translate/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # a translation or a friendly error, never a 500


def test_seller_creates_edits_and_lists() -> None:
    s = shop()
    client = member(s.owner)
    assert client.get(f"/products/new/?shop={s.pk}").status_code == 200
    assert member(UserFactory()).get(f"/products/new/?shop={s.pk}").status_code == 404
    image = MediaImageFactory(owner=s.owner)
    form = {
        "title": "Silk scarf",
        "description": "Hand-rolled edges.",
        "commission": "12.5",
        "image_ids": [str(image.pk)],
        "option_name_0": "Colour",
        "option_name_1": "",
        "option_name_2": "",
        "v_id": ["", "", ""],
        "v_sku": ["RED", "BLUE", ""],
        "v_opt_0": ["Red", "Blue", ""],
        "v_opt_1": ["", "", ""],
        "v_opt_2": ["", "", ""],
        "v_price": ["199.00", "209", ""],
        "v_compare": ["259", "", ""],
        "v_stock": ["4", "", ""],
    }
    response = client.post(f"/products/new/?shop={s.pk}", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Product.objects.get(title="Silk scarf")
    assert p.commission_bps == 1250
    assert [(v.sku, v.price, v.compare_at_price, v.stock) for v in p.variants.all()] == [
        ("RED", 19900, 25900, 4),
        ("BLUE", 20900, None, None),
    ]
    assert client.get(f"/products/{p.pk}/edit/").status_code == 200
    red, blue = list(p.variants.all())
    edit = {
        **form,
        "title": "Silk scarf, large",
        "v_id": [str(red.pk), str(blue.pk), ""],
        "v_sku": ["RED", "BLUE", "GREEN"],
        "v_opt_0": ["Red", "Blue", "Green"],
        "v_price": ["189", "209", "199"],
        "v_compare": ["", "", ""],
        "v_stock": ["4", "", "2"],
        "v_remove": [str(blue.pk)],
    }
    assert client.post(f"/products/{p.pk}/edit/", edit).status_code == 302
    assert sorted(p.variants.values_list("sku", flat=True)) == ["GREEN", "RED"]
    refused = client.post(f"/products/{p.pk}/edit/", {**edit, "v_price": ["abc", "209", "199"]})
    assert refused.status_code == 400
    assert client.post(f"/products/{p.pk}/status/", {"status": "active"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "active"
    listing = client.get(f"/products/manage/{s.pk}/").content.decode()
    assert "Silk scarf, large" in listing
    green = p.variants.get(sku="GREEN")
    client.post(f"/products/variants/{green.pk}/stock/", {"delta": "-5"})
    green.refresh_from_db()
    assert green.stock == 2
    client.post(f"/products/variants/{green.pk}/stock/", {"delta": "3"})
    green.refresh_from_db()
    assert green.stock == 5
    assert member(staff(s, "fulfilment")).get(f"/products/manage/{s.pk}/").status_code == 200
    assert member(UserFactory()).get(f"/products/manage/{s.pk}/").status_code == 404
    assert member(UserFactory()).get(f"/products/{p.pk}/edit/").status_code == 404


def test_tag_page() -> None:
    note = NoteFactory(images=2)
    mine = shop(owner=note.author)
    own = product(mine, title="My own mug")
    other = product(title="Someone's teapot")
    client = member(note.author)
    html = client.get(f"/products/tag/{note.pk}/").content.decode()
    assert html.index("My own mug") < html.index("Someone&#x27;s teapot")
    assert client.post(f"/products/tag/{note.pk}/", {"add": str(other.pk)}).status_code == 302
    client.post(
        f"/products/tag/{note.pk}/",
        {"t_product": [str(other.pk)], "t_image": ["2"], "t_x": ["10"], "t_y": ["20"], "add": str(own.pk)},
    )
    tags = list(NoteProductTag.objects.filter(note=note).values_list("product_id", "image_index", "x", "y"))
    assert tags == [(other.pk, 1, 10, 20), (own.pk, None, None, None)]
    page = client.get(f"/products/tag/{note.pk}/").content.decode()
    # Tapping the photo places a pin (tagger.js); the number fields stay as the no-script way, folded.
    assert '<details class="tag-exact">' in page and "data-place hidden" in page and "On photo 2" in page
    done = client.post(f"/products/tag/{note.pk}/", {"t_product": [str(own.pk)], "done": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("notes:detail", args=[note.pk])
    assert list(NoteProductTag.objects.filter(note=note).values_list("product_id", flat=True)) == [own.pk]
    assert member(UserFactory()).get(f"/products/tag/{note.pk}/").status_code == 404
    assert "Tag products" in Template("{% load catalog_tags %}{% note_products note viewer %}").render(
        Context({"note": note, "viewer": note.author})
    )
