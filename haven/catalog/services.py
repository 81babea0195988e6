"""Writes of the catalog: products, variants, stock, product tags on notes and taps on those tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.catalog import access
from haven.catalog.models import (
    COMMISSION_BPS_MAX,
    DESCRIPTION_MAX,
    IMAGES_MAX,
    OPTION_NAME_MAX,
    OPTION_VALUE_MAX,
    OPTIONS_MAX,
    SKU_MAX,
    STOCK_MAX,
    TAGS_PER_NOTE_MAX,
    TITLE_MAX,
    VARIANTS_MAX,
    NoteProductTag,
    Product,
    ProductImage,
    TagClick,
    Variant,
)
from haven.core import reportables, searchables
from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.core.input import parse_id
from haven.core.money import check_amount
from haven.core.text import detect_language
from haven.core.transactions import after_commit
from haven.media.access import usable_images
from haven.media.models import MediaImage
from haven.notes import access as notes_access
from haven.notes.models import Note, NoteImage
from haven.notes.services import clean_text
from haven.shops import access as shops_access
from haven.shops.access import MANAGE

#: Taps on the same tag by the same member within this window count once (bounded writes).
CLICK_DEDUPE = timedelta(minutes=1)
#: Per-mille bounds of a tag's point on an image.
POINT_MAX = 1000
#: Which statuses a product may move to from each status (the listing flag of a product).
STATUS_MOVES: dict[str, set[str]] = {
    Product.Status.DRAFT: {Product.Status.ACTIVE, Product.Status.ARCHIVED},
    Product.Status.ACTIVE: {Product.Status.DRAFT, Product.Status.ARCHIVED},
    Product.Status.ARCHIVED: {Product.Status.DRAFT, Product.Status.ACTIVE},
}
_UNSET: Any = object()


# ---------------------------------------------------------------------------------------------
# Checks


def _too_long(label: str, limit: int, code: str) -> InvalidInput:
    return InvalidInput(
        _("The %(field)s is too long (at most %(limit)d characters).") % {"field": label, "limit": limit},
        code=code,
        details={"max_length": limit},
    )


def _check_title(title: Any) -> str:
    value = clean_text(str(title or ""), multiline=False)
    if not value:
        raise InvalidInput(_("Give the product a title."), code="title_required")
    if len(value) > TITLE_MAX:
        raise _too_long(_("title"), TITLE_MAX, "title_too_long")
    return value


def _check_description(description: Any) -> str:
    value = clean_text(str(description or ""))
    if len(value) > DESCRIPTION_MAX:
        raise _too_long(_("description"), DESCRIPTION_MAX, "description_too_long")
    return value


def _check_commission(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COMMISSION_BPS_MAX:
        raise InvalidInput(
            _("The creator commission must be between 0 and %(max)s %%.")
            % {"max": COMMISSION_BPS_MAX // 100},
            code="invalid_commission",
            details={"max_bps": COMMISSION_BPS_MAX},
        )
    return value


def _check_options(options: Any) -> dict[str, str]:
    if options is None:
        return {}
    if not isinstance(options, Mapping) or len(options) > OPTIONS_MAX:
        raise InvalidInput(
            _("A variant has at most %(n)d options (such as size and colour).") % {"n": OPTIONS_MAX},
            code="invalid_options",
            details={"max_options": OPTIONS_MAX},
        )
    out: dict[str, str] = {}
    for raw_name, raw_value in options.items():
        name = clean_text(str(raw_name), multiline=False)
        value = clean_text(str(raw_value), multiline=False) if isinstance(raw_value, str | int) else ""
        if not name or len(name) > OPTION_NAME_MAX or not value or len(value) > OPTION_VALUE_MAX:
            raise InvalidInput(
                _("Each option needs a name (at most %(name)d characters) and a value (at most %(value)d).")
                % {"name": OPTION_NAME_MAX, "value": OPTION_VALUE_MAX},
                code="invalid_options",
            )
        if name.casefold() in {k.casefold() for k in out}:
            raise InvalidInput(_("An option is named twice."), code="invalid_options")
        out[name] = value
    return out


def _check_sku(sku: Any) -> str:
    value = clean_text(str(sku or ""), multiline=False)
    if not value or len(value) > SKU_MAX:
        raise InvalidInput(
            _("Each variant needs a SKU of at most %(n)d characters.") % {"n": SKU_MAX},
            code="invalid_sku",
            details={"max_length": SKU_MAX},
        )
    return value


def _check_stock(stock: Any) -> int | None:
    if stock is None:
        return None
    if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= STOCK_MAX:
        raise InvalidInput(
            _("Stock must be a whole number from 0 to %(max)d, or empty for unlimited.") % {"max": STOCK_MAX},
            code="invalid_stock",
            details={"max_stock": STOCK_MAX},
        )
    return stock


def _check_prices(price: Any, compare_at_price: Any) -> tuple[int, int | None]:
    price = check_amount(price, allow_zero=False, field="price")
    if compare_at_price is None:
        return price, None
    compare = check_amount(compare_at_price, allow_zero=False, field="compare_at_price")
    if compare <= price:
        raise InvalidInput(
            _("The price before the discount must be higher than the price."), code="invalid_compare_at_price"
        )
    return price, compare


def _clean_variant(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidInput(_("A variant is malformed."), code="invalid_variant")
    price, compare = _check_prices(data.get("price"), data.get("compare_at_price"))
    return {
        "sku": _check_sku(data.get("sku")),
        "options": _check_options(data.get("options")),
        "price": price,
        "compare_at_price": compare,
        "stock": _check_stock(data.get("stock")),
    }


def _check_variant_set(variants: Sequence[Mapping[str, Any]]) -> None:
    """SKUs unique; when there are several variants, they share option names and differ in values."""
    if len(variants) > VARIANTS_MAX:
        raise InvalidInput(
            _("A product has at most %(n)d variants.") % {"n": VARIANTS_MAX},
            code="too_many_variants",
            details={"max_variants": VARIANTS_MAX},
        )
    skus = [v["sku"].casefold() for v in variants]
    if len(set(skus)) != len(skus):
        raise InvalidInput(_("Two variants have the same SKU."), code="duplicate_sku")
    if len(variants) > 1:
        names = {tuple(sorted(k.casefold() for k in v["options"])) for v in variants}
        if len(names) != 1 or names == {()}:
            raise InvalidInput(
                _("Variants of one product need the same options (such as size and colour)."),
                code="inconsistent_options",
            )
        combos = [
            tuple(sorted((k.casefold(), str(x).casefold()) for k, x in v["options"].items()))
            for v in variants
        ]
        if len(set(combos)) != len(combos):
            raise InvalidInput(_("Two variants have the same options."), code="duplicate_options")


def _resolve_images(actor: Any, image_ids: Sequence[Any], *, keep: Sequence[int] = ()) -> list[MediaImage]:
    """The images to show, in order: the actor's usable uploads, or images the product already shows
    (a manager may keep a photo another staff member uploaded)."""
    ids = [parse_id(i) for i in image_ids]
    if len(ids) > IMAGES_MAX:
        raise InvalidInput(
            _("A product can have at most %(n)d images.") % {"n": IMAGES_MAX},
            code="too_many_images",
            details={"max_images": IMAGES_MAX},
        )
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("The same image is listed twice."), code="duplicate_images")
    kept = {i.pk: i for i in MediaImage.objects.filter(pk__in=[i for i in ids if i in set(keep)])}
    new = usable_images(actor, [i for i in ids if i not in kept])
    found = {**kept, **{i.pk: i for i in new}}
    return [found[i] for i in ids]


def _set_images(product: Product, images: Sequence[MediaImage]) -> None:
    ProductImage.objects.filter(product=product).delete()
    ProductImage.objects.bulk_create(
        [ProductImage(product=product, image=image, position=n) for n, image in enumerate(images)]
    )


def _detect(product: Product) -> None:
    product.language = detect_language(f"{product.title}\n{product.description}").code


def _changed(product_id: int, *, text: bool = False) -> None:
    searchables.changed("product", [product_id])
    if text:
        after_commit(reportables.content_created, "product", product_id)


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


# ---------------------------------------------------------------------------------------------
# Products


@transaction.atomic
def product_create(
    *,
    actor: Any,
    shop: Any,
    title: str,
    description: str = "",
    is_digital: bool = False,
    commission_bps: int = 0,
    variants: Sequence[Mapping[str, Any]],
    image_ids: Sequence[Any] = (),
) -> Product:
    """A draft product of `shop` (a Shop or its id) with its variants and images, in the given order.

    The actor must manage the shop (owner or manager; operators pass); otherwise NotFound.
    """
    shop_row = shops_access.staff_shop_or_404(actor, _pk(shop), roles=MANAGE)
    cleaned = [_clean_variant(v) for v in variants]
    if not cleaned:
        raise InvalidInput(_("Add at least one variant with its price."), code="variants_required")
    _check_variant_set(cleaned)
    product = Product(
        shop=shop_row,
        title=_check_title(title),
        description=_check_description(description),
        is_digital=bool(is_digital),
        commission_bps=_check_commission(commission_bps),
    )
    images = _resolve_images(actor, image_ids)
    _detect(product)
    product.save()
    _set_images(product, images)
    Variant.objects.bulk_create([Variant(product=product, position=n, **v) for n, v in enumerate(cleaned)])
    _changed(product.pk, text=True)
    return product


@transaction.atomic
def product_update(
    *,
    actor: Any,
    product: Any,
    title: str | None = None,
    description: str | None = None,
    is_digital: bool | None = None,
    commission_bps: int | None = None,
    image_ids: Sequence[Any] | None = None,
) -> Product:
    """Change what is given (None leaves a field as it is). An active product keeps at least one image."""
    row = access.managed_product_or_404(actor, _pk(product), for_update=True)
    text_changed = False
    if title is not None:
        row.title, text_changed = _check_title(title), True
    if description is not None:
        row.description, text_changed = _check_description(description), True
    if is_digital is not None:
        row.is_digital = bool(is_digital)
    if commission_bps is not None:
        row.commission_bps = _check_commission(commission_bps)
    if image_ids is not None:
        current = list(row.images.values_list("image_id", flat=True))
        images = _resolve_images(actor, image_ids, keep=current)
        if not images and row.status == Product.Status.ACTIVE:
            raise Conflict(_("A product on sale needs at least one image."), code="images_required")
        if [i.pk for i in images] != current:
            _set_images(row, images)
    if text_changed:
        _detect(row)
    row.save()
    _changed(row.pk, text=text_changed)
    return row


@transaction.atomic
def product_set_status(*, actor: Any, product: Any, status: str) -> Product:
    """Put a product on sale (active), back to draft, or archive it (compare-and-set).

    On sale only when the shop is open, and the product has an active variant and an image (409
    `shop_not_active`, `variants_required`, `images_required`).
    """
    if status not in Product.Status.values:
        raise InvalidInput(_("Unknown product status."), code="invalid_status")
    row = access.managed_product_or_404(actor, _pk(product), for_update=True)
    if row.status == status:
        return row
    if status not in STATUS_MOVES[row.status]:
        raise Conflict(_("This product cannot move to that status."), code="invalid_transition")
    if status == Product.Status.ACTIVE:
        if not shops_access.sells(row.shop):
            raise Conflict(_("The shop must be open before its products go on sale."), code="shop_not_active")
        if not row.variants.filter(is_active=True).exists():
            raise Conflict(_("Add at least one active variant first."), code="variants_required")
        if not row.images.exists():
            raise Conflict(_("Add at least one image first."), code="images_required")
    changed = Product.objects.filter(pk=row.pk, status=row.status).update(
        status=status, updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("The product changed meanwhile; please try again."), code="status_changed")
    row.status = status
    _changed(row.pk)
    return row


def product_moderate(*, product_id: int, state: str) -> bool:
    """Moderation's decision on a reported product: removed or held products are taken off sale
    (archived); other states leave the listing as it is (the seller may relist after an appeal)."""
    if state not in (reportables.ModerationState.REMOVED, reportables.ModerationState.HELD):
        return False
    changed = (
        Product.objects.filter(pk=product_id)
        .exclude(status=Product.Status.ARCHIVED)
        .update(status=Product.Status.ARCHIVED, updated_at=timezone.now())
    )
    if changed:
        _changed(product_id)
    return bool(changed)


# ---------------------------------------------------------------------------------------------
# Variants


@transaction.atomic
def variant_add(
    *,
    actor: Any,
    product: Any,
    sku: str,
    price: int,
    options: Mapping[str, Any] | None = None,
    compare_at_price: int | None = None,
    stock: int | None = None,
) -> Variant:
    """Add a variant (the product's option names must match its other variants')."""
    row = access.managed_product_or_404(actor, _pk(product), for_update=True)
    new = _clean_variant(
        {"sku": sku, "options": options, "price": price, "compare_at_price": compare_at_price, "stock": stock}
    )
    existing = list(row.variants.all())
    _check_variant_set([*({"sku": v.sku, "options": v.options} for v in existing), new])
    position = max((v.position for v in existing), default=-1) + 1
    return Variant.objects.create(product=row, position=position, **new)


@transaction.atomic
def variant_update(
    *,
    actor: Any,
    variant: Any,
    sku: str | None = None,
    options: Mapping[str, Any] | None = None,
    price: int | None = None,
    compare_at_price: Any = _UNSET,
    stock: Any = _UNSET,
    is_active: bool | None = None,
) -> Variant:
    """Change a variant. `compare_at_price` and `stock` accept None (no discount / unlimited); leave
    them out to keep them. Stock set here replaces the count; use stock_adjust for deltas."""
    row = access.managed_variant_or_404(actor, _pk(variant), for_update=True)
    new_price = row.price if price is None else price
    new_compare = row.compare_at_price if compare_at_price is _UNSET else compare_at_price
    if price is not None or compare_at_price is not _UNSET:
        row.price, row.compare_at_price = _check_prices(new_price, new_compare)
    if sku is not None:
        row.sku = _check_sku(sku)
    if options is not None:
        row.options = _check_options(options)
    if stock is not _UNSET:
        row.stock = _check_stock(stock)
    if is_active is not None:
        row.is_active = bool(is_active)
    if sku is not None or options is not None:
        others = [{"sku": v.sku, "options": v.options} for v in row.product.variants.exclude(pk=row.pk)]
        _check_variant_set([*others, {"sku": row.sku, "options": row.options}])
    if (
        not row.is_active
        and row.product.status == Product.Status.ACTIVE
        and not row.product.variants.filter(is_active=True).exclude(pk=row.pk).exists()
    ):
        raise Conflict(_("A product on sale keeps at least one active variant."), code="variants_required")
    row.save()
    return row


def _kept_by_history(variant: Variant) -> bool:
    """Whether rows that keep history point at `variant`: relations declared SET_NULL (order lines),
    unlike CASCADE ones (cart items), mean the variant was sold and must stay as a record."""
    for rel in Variant._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and getattr(rel, "on_delete", None) is models.SET_NULL:
            field = rel.field  # type: ignore[union-attr]
            if field.model._default_manager.filter(**{field.name: variant.pk}).exists():
                return True
    return False


@transaction.atomic
def variant_remove(*, actor: Any, variant: Any) -> str:
    """Remove a variant: "deleted", or "deactivated" when orders refer to it (is_active=False).

    The last active variant of a product on sale cannot go (409 `variants_required`).
    """
    row = access.managed_variant_or_404(actor, _pk(variant), for_update=True)
    product = row.product
    if (
        product.status == Product.Status.ACTIVE
        and row.is_active
        and not product.variants.filter(is_active=True).exclude(pk=row.pk).exists()
    ):
        raise Conflict(_("A product on sale keeps at least one active variant."), code="variants_required")
    if _kept_by_history(row):
        Variant.objects.filter(pk=row.pk).update(is_active=False)
        return "deactivated"
    if product.variants.count() <= 1:
        raise Conflict(_("A product keeps at least one variant."), code="variants_required")
    row.delete()
    return "deleted"


def stock_adjust(*, actor: Any, variant: Any, delta: int) -> Variant:
    """Add `delta` (negative to take away) to a variant's stock in one conditional UPDATE.

    409 `insufficient_stock` when it would go below zero, 409 `stock_unlimited` for unlimited stock.
    """
    row = access.managed_variant_or_404(actor, _pk(variant))
    if isinstance(delta, bool) or not isinstance(delta, int) or not -STOCK_MAX <= delta <= STOCK_MAX:
        raise InvalidInput(_("The stock change is out of range."), code="invalid_stock")
    if row.stock is None:
        raise Conflict(_("This variant has unlimited stock."), code="stock_unlimited")
    try:
        changed = Variant.objects.filter(
            pk=row.pk, stock__isnull=False, stock__gte=max(0, -delta), stock__lte=STOCK_MAX - max(0, delta)
        ).update(stock=F("stock") + delta)
    except IntegrityError:  # the non-negative constraint, should a race slip past the condition
        changed = 0
    row.refresh_from_db(fields=["stock"])
    if not changed:
        if row.stock is not None and row.stock + delta > STOCK_MAX:
            raise InvalidInput(_("Stock cannot go above %(max)d.") % {"max": STOCK_MAX}, code="invalid_stock")
        raise Conflict(
            _("There is not enough stock for that."), code="insufficient_stock", details={"stock": row.stock}
        )
    return row


# ---------------------------------------------------------------------------------------------
# Product tags on notes and taps on them


def _check_point(tag: Mapping[str, Any], image_count: int) -> tuple[int | None, int | None, int | None]:
    index, x, y = tag.get("image_index"), tag.get("x"), tag.get("y")
    if index is None and x is None and y is None:
        return None, None, None
    values = (index, x, y)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise InvalidInput(_("A tag's point needs an image and two coordinates."), code="invalid_tag_point")
    assert isinstance(index, int) and isinstance(x, int) and isinstance(y, int)
    if not 0 <= x <= POINT_MAX or not 0 <= y <= POINT_MAX or index < 0:
        raise InvalidInput(_("A tag's point is outside the image."), code="invalid_tag_point")
    if index >= image_count:
        raise Conflict(_("The note has no such image."), code="tag_image_missing")
    return index, x, y


@transaction.atomic
def note_tags_set(*, author: Any, note: Any, tags: Sequence[Mapping[str, Any]]) -> list[NoteProductTag]:
    """Replace the product tags of the author's note, in order (an empty list removes them all).

    Only products on sale in open shops (any shop) can be tagged; a tag may sit on a point of one of
    the note's images (per-mille coordinates). Only the note's author; NotFound otherwise.
    """
    row = notes_access.editable_note_or_404(author, getattr(note, "pk", note), for_update=True)
    if len(tags) > TAGS_PER_NOTE_MAX:
        raise InvalidInput(
            _("A note can tag at most %(n)d products.") % {"n": TAGS_PER_NOTE_MAX},
            code="too_many_tags",
            details={"max_tags": TAGS_PER_NOTE_MAX},
        )
    if any(not isinstance(t, Mapping) for t in tags):
        raise InvalidInput(_("A tag is malformed."), code="invalid_tag")
    product_ids = [parse_id(t.get("product_id")) for t in tags]
    taggable = set(access.public_products().filter(pk__in=product_ids).values_list("pk", flat=True))
    missing = [pk for pk in product_ids if pk not in taggable]
    if missing:  # missing, hidden and not on sale look the same
        raise NotFound(
            _("Only products on sale can be tagged."),
            code="product_not_taggable",
            details={"product_ids": missing},
        )
    if len(set(product_ids)) != len(product_ids):
        raise InvalidInput(_("The same product is tagged twice."), code="duplicate_tag")
    image_count = NoteImage.objects.filter(note=row).count()
    new = []
    for position, (tag, product_id) in enumerate(zip(tags, product_ids, strict=True)):
        index, x, y = _check_point(tag, image_count)
        new.append(
            NoteProductTag(note=row, product_id=product_id, position=position, image_index=index, x=x, y=y)
        )
    NoteProductTag.objects.filter(note=row).delete()
    return NoteProductTag.objects.bulk_create(new)


def tag_click_record(*, user: Any, note: Any, product: Any) -> TagClick | None:
    """Record that `user` tapped `product`'s tag on `note` (the attribution of a later purchase).

    The member must see the note and the note must tag the product (NotFound otherwise). Anonymous
    viewers and the note's author are not recorded (None); repeated taps within CLICK_DEDUPE count once.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    note_row = note if isinstance(note, Note) else notes_access.get_visible_note(user, note)
    if isinstance(note, Note) and not notes_access.can_view_note(user, note_row):
        raise NotFound()
    product_id = parse_id(getattr(product, "pk", product))
    tagged = NoteProductTag.objects.filter(note=note_row, product_id=product_id).exists()
    if not tagged or not access.visible_products(user).filter(pk=product_id).exists():
        raise NotFound()
    if note_row.author_id == user.pk:
        return None
    recent = (
        TagClick.objects.filter(
            user=user, note=note_row, product_id=product_id, created_at__gte=timezone.now() - CLICK_DEDUPE
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent
    return TagClick.objects.create(user=user, note=note_row, product_id=product_id)


def product_count_sold(*, product_id: int, items: int) -> None:
    """Add `items` sold to the product's counter (orders, when an order is paid)."""
    Product.objects.filter(pk=product_id).update(sold_count=F("sold_count") + items)
