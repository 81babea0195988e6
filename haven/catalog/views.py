"""HTML views of the catalog: the product page, its translation, the seller's editor and product list,
and the page where an author tags products on a note.

Writes are form POSTs that redirect (they work without JavaScript); reads go through access and
selectors, writes through services; refusals (haven.core.errors) become a friendly message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.catalog import access, selectors, services
from haven.catalog.models import (
    COMMISSION_BPS_MAX,
    DESCRIPTION_MAX,
    IMAGES_MAX,
    OPTION_NAME_MAX,
    OPTION_VALUE_MAX,
    OPTIONS_MAX,
    QUANTITY_MAX,
    SKU_MAX,
    TAGS_PER_NOTE_MAX,
    TITLE_MAX,
    VARIANTS_MAX,
    Product,
    Variant,
)
from haven.core.errors import HavenError, InvalidInput, NotFound
from haven.core.money import parse_major, to_major_string
from haven.feeds.selectors import card_data
from haven.media import services as media_services
from haven.media.selectors import rendition_url
from haven.notes import access as notes_access
from haven.notes import selectors as notes_selectors
from haven.notes.templatetags.notes_ui import blurhash_color
from haven.shops import access as shops_access
from haven.shops.models import Shop, ShopStaff
from haven.translation.aids_selectors import text_language_code
from haven.translation.services import translate_texts

#: Empty variant rows the editor offers below the existing ones.
BLANK_ROWS = 2
#: Products the tag page's search lists.
SEARCH_MAX = 20
QUERY_MAX = 100
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"
#: The orders app's "add to cart" route; a plain path while that name does not exist yet.
CART_ADD_FALLBACK = "/cart/add/"


def _url(name: str, *args: Any, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _optional_template(name: str) -> str | None:
    """`name` when a later app provides it (reviews), else None: the page renders without it."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def _shop_card(shop: Shop) -> dict[str, Any]:
    return {
        "id": shop.pk,
        "name": shop.name,
        "slug": shop.slug,
        "kind": shop.get_kind_display(),
        "rating": shop.rating,
        "rating_count": shop.rating_count,
        "sold_count": getattr(shop, "sold_count", 0),
        "logo_url": rendition_url(shop.logo, "grid") if shop.logo_id and shop.logo else "",
        "url": _url("shops:shop", shop.slug, fallback=f"/shop/{shop.slug}/"),
    }


def _slides(product: Product) -> list[dict[str, Any]]:
    rows = selectors.product_images(product)
    return [
        {
            "url": rendition_url(row.image, "detail"),
            "width": row.image.width or 3,
            "height": row.image.height or 4,
            "alt": product.title,
            "state": row.image.state,
            "placeholder": blurhash_color(row.image.blurhash),
            "label": _("Image %(n)d of %(total)d") % {"n": n + 1, "total": len(rows)},
        }
        for n, row in enumerate(rows)
    ]


def _from_note(request: HttpRequest, product: Product) -> int | None:
    """The note a visitor came from when it really tags this product and they may see it; the tap is
    recorded for signed-in members (the attribution orders reads)."""
    raw = request.GET.get("from_note", "")
    if not raw or len(raw) > 20:
        return None
    try:
        note = notes_access.get_visible_note(request.user, raw)
        if not product.note_tags.filter(note=note).exists():
            return None
        services.tag_click_record(user=request.user, note=note, product=product)
    except HavenError:
        return None
    return int(note.pk)


# ---------------------------------------------------------------------------------------------
# The product page


@require_GET
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product: images, price, variant picker, add to cart, shop, ratings, notes, description."""
    try:
        product = access.visible_product_or_404(request.user, product_id)
    except NotFound:
        raise Http404 from None
    shop = product.shop
    variants = selectors.active_variants(product)
    variant_rows = [selectors.variant_data(v, shop.currency) for v in variants]
    chosen = next((v for v in variant_rows if v["in_stock"]), variant_rows[0] if variant_rows else None)
    low, high = selectors.price_range(variants)
    notes = selectors.notes_tagging(request.user, product)
    slides = _slides(product)
    first = slides[0] if slides else None
    frame = first["width"] / first["height"] if first else 1.0
    buyable = product.status == Product.Status.ACTIVE and shops_access.sells(shop)
    context = {
        "product": product,
        "shop": _shop_card(shop),
        "slides": slides,
        "frame_ratio": f"{min(max(frame, 0.75), 4 / 3):.4f}",
        "variants": variant_rows,
        "variants_json": [
            {k: v[k] for k in ("id", "options", "price_text", "compare_text", "stock", "stock_state")}
            for v in variant_rows
        ],
        "groups": selectors.option_groups(variants),
        "chosen": chosen,
        "price_text": selectors.price_text(low, shop.currency),
        "price_from": low is not None and low != high,
        "buyable": buyable and any(v["in_stock"] for v in variant_rows),
        "sold_out": buyable and bool(variant_rows) and not any(v["in_stock"] for v in variant_rows),
        "quantity_max": QUANTITY_MAX,
        "low_stock": selectors.LOW_STOCK,
        "cart_add_url": _url("orders:cart_add", fallback=CART_ADD_FALLBACK),
        "from_note": _from_note(request, product),
        "can_manage": access.can_manage(request.user, product),
        "notes": card_data(request.user, notes) if notes else [],
        "reviews_template": _optional_template("reviews/_product_reviews.html"),
        "translatable": bool(product.language)
        and product.language != "und"
        and product.language.split("-")[0] != text_language_code(get_language()).split("-")[0],
    }
    return render(request, "catalog/product.html", context)


@require_GET
def product_translate(request: HttpRequest, product_id: int) -> HttpResponse:
    """Title and description in the reader's language (an htmx fragment; a page without htmx)."""
    try:
        product = access.visible_product_or_404(request.user, product_id)
    except NotFound:
        raise Http404 from None
    target = text_language_code(get_language())
    context: dict[str, Any] = {"product": product}
    try:
        title, description = translate_texts(
            texts=[product.title, product.description],
            source=product.language,
            target=target,
            user=request.user,
        )
        context.update(
            title=title.text, description=description.text, provider=title.provider or description.provider
        )
    except HavenError as exc:
        context["error"] = exc.message
    if not request.headers.get("HX-Request"):
        return redirect("catalog:detail", product_id=product.pk)
    return render(request, "catalog/_translation.html", context)


# ---------------------------------------------------------------------------------------------
# Seller pages


def _major(amount: int | None, currency: str) -> str:
    return to_major_string(amount, currency) if amount is not None else ""


def _editor_rows(product: Product | None, currency: str) -> tuple[list[str], list[dict[str, Any]]]:
    variants = list(product.variants.all()) if product else []
    names: list[str] = []
    for v in variants:
        for name in v.options or {}:
            if name not in names:
                names.append(str(name))
    names = (names + [""] * OPTIONS_MAX)[:OPTIONS_MAX]
    rows = [
        {
            "id": v.pk,
            "sku": v.sku,
            "values": [str((v.options or {}).get(n, "")) if n else "" for n in names],
            "price": _major(v.price, currency),
            "compare": _major(v.compare_at_price, currency),
            "stock": "" if v.stock is None else str(v.stock),
            "is_active": v.is_active,
        }
        for v in variants
    ]
    rows += [
        {
            "id": "",
            "sku": "",
            "values": [""] * OPTIONS_MAX,
            "price": "",
            "compare": "",
            "stock": "",
            "is_active": True,
        }
        for _n in range(BLANK_ROWS if rows else BLANK_ROWS + 1)
    ]
    return names, rows


def _posted_rows(request: HttpRequest) -> tuple[list[str], list[dict[str, Any]]]:
    """The variant rows of the editor form as posted (bounded), blank rows left out later."""
    post = request.POST
    names = [post.get(f"option_name_{n}", "")[: OPTION_NAME_MAX * 2] for n in range(OPTIONS_MAX)]
    count = min(len(post.getlist("v_sku")), VARIANTS_MAX + BLANK_ROWS + 5)

    def col(name: str, limit: int) -> list[str]:
        values = [str(v)[:limit] for v in post.getlist(name)[:count]]
        return values + [""] * (count - len(values))

    ids, skus, prices, compares, stocks = (
        col("v_id", 20),
        col("v_sku", SKU_MAX * 2),
        col("v_price", 20),
        col("v_compare", 20),
        col("v_stock", 10),
    )
    options = [col(f"v_opt_{n}", OPTION_VALUE_MAX * 2) for n in range(OPTIONS_MAX)]
    removed = set(post.getlist("v_remove")[:VARIANTS_MAX])
    rows = []
    for i in range(count):
        rows.append(
            {
                "id": ids[i],
                "sku": skus[i],
                "values": [options[n][i] for n in range(OPTIONS_MAX)],
                "price": prices[i],
                "compare": compares[i],
                "stock": stocks[i],
                "remove": ids[i] in removed if ids[i] else False,
                "is_active": True,
            }
        )
    return names, rows


def _row_blank(row: dict[str, Any]) -> bool:
    return not row["id"] and not row["sku"].strip() and not row["price"].strip()


def _row_variant(row: dict[str, Any], names: list[str], currency: str) -> dict[str, Any]:
    options = {
        n.strip(): v.strip() for n, v in zip(names, row["values"], strict=True) if n.strip() or v.strip()
    }
    if not row["price"].strip():
        raise InvalidInput(_("Each variant needs a price."), code="invalid_amount")
    stock = row["stock"].strip()
    if stock and not (stock.isascii() and stock.isdigit()):
        raise InvalidInput(_("Stock must be a whole number, or empty for unlimited."), code="invalid_stock")
    return {
        "sku": row["sku"],
        "options": options,
        "price": parse_major(row["price"], currency),
        "compare_at_price": parse_major(row["compare"], currency) if row["compare"].strip() else None,
        "stock": int(stock) if stock else None,
    }


def _commission(raw: str) -> int:
    text = (raw or "").strip().rstrip("%") or "0"
    try:
        bps = round(float(text) * 100)
    except ValueError:
        raise InvalidInput(
            _("Enter the commission as a percentage, such as 10."), code="invalid_commission"
        ) from None
    return int(bps)


def _uploads(request: HttpRequest) -> list[int]:
    files = request.FILES.getlist("files")[: IMAGES_MAX + 1]
    if len(files) > IMAGES_MAX:
        raise InvalidInput(
            _("A product can have at most %(n)d images.") % {"n": IMAGES_MAX}, code="too_many_images"
        )
    return [media_services.image_upload(owner=request.user, file=f).pk for f in files]  # type: ignore[arg-type]


def _posted_image_ids(request: HttpRequest) -> list[int]:
    removed = set(request.POST.getlist("remove_image")[:IMAGES_MAX])
    out = []
    for raw in request.POST.getlist("image_ids")[:IMAGES_MAX]:
        if raw not in removed and raw.isascii() and raw.isdigit():
            out.append(int(raw))
    return out


def _editor(
    request: HttpRequest,
    *,
    shop: Shop,
    product: Product | None,
    names: list[str],
    rows: list[dict[str, Any]],
    values: dict[str, Any],
    image_ids: list[int],
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    from haven.media.models import MediaImage

    images = {i.pk: i for i in MediaImage.objects.filter(pk__in=image_ids)}
    thumbs = [
        {"id": i, "url": rendition_url(images[i], "grid"), "state": images[i].state}
        for i in image_ids
        if i in images
    ]
    context = {
        "shop": shop,
        "product": product,
        "option_names": names,
        "rows": rows,
        "values": values,
        "thumbs": thumbs,
        "error": error,
        "accepted_types": ACCEPTED_TYPES,
        "limits": {
            "title": TITLE_MAX,
            "description": DESCRIPTION_MAX,
            "images": IMAGES_MAX,
            "sku": SKU_MAX,
            "option_name": OPTION_NAME_MAX,
            "option_value": OPTION_VALUE_MAX,
            "commission": COMMISSION_BPS_MAX // 100,
        },
        "nav_section": "me",
    }
    return render(request, "catalog/edit.html", context, status=status)


def _values(product: Product | None) -> dict[str, Any]:
    if product is None:
        return {"title": "", "description": "", "commission": "0", "is_digital": False}
    return {
        "title": product.title,
        "description": product.description,
        "commission": f"{product.commission_bps / 100:g}",
        "is_digital": product.is_digital,
    }


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    return {
        "title": request.POST.get("title", "")[: TITLE_MAX * 2],
        "description": request.POST.get("description", "")[: DESCRIPTION_MAX * 2],
        "commission": request.POST.get("commission", "0")[:10],
        "is_digital": bool(request.POST.get("is_digital")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest) -> HttpResponse:
    """A new product in a shop the member manages (?shop=<id>); saved as a draft."""
    try:
        shop = shops_access.staff_shop_or_404(request.user, request.GET.get("shop", "")[:20])
    except NotFound:
        raise Http404 from None
    if request.method == "GET":
        names, rows = _editor_rows(None, shop.currency)
        return _editor(
            request, shop=shop, product=None, names=names, rows=rows, values=_values(None), image_ids=[]
        )
    names, rows = _posted_rows(request)
    values = _posted_values(request)
    image_ids = _posted_image_ids(request)
    try:
        image_ids += _uploads(request)
        variants = [
            _row_variant(r, names, shop.currency) for r in rows if not _row_blank(r) and not r["remove"]
        ]
        product = services.product_create(
            actor=request.user,
            shop=shop,
            title=values["title"],
            description=values["description"],
            is_digital=values["is_digital"],
            commission_bps=_commission(values["commission"]),
            variants=variants,
            image_ids=image_ids,
        )
    except HavenError as exc:
        return _editor(
            request,
            shop=shop,
            product=None,
            names=names,
            rows=rows,
            values=values,
            image_ids=image_ids,
            error=exc.message,
            status=exc.status,
        )
    messages.success(request, _("Product saved as a draft."))
    return redirect("catalog:edit", product_id=product.pk)


def _save_variants(
    request: HttpRequest, product: Product, names: list[str], rows: list[dict[str, Any]]
) -> None:
    currency = product.shop.currency
    existing = {str(v.pk): v for v in product.variants.all()}
    for row in rows:
        if row["id"] and row["id"] in existing:
            if row["remove"]:
                services.variant_remove(actor=request.user, variant=existing[row["id"]])
                continue
            data = _row_variant(row, names, currency)
            services.variant_update(actor=request.user, variant=existing[row["id"]], **data)
        elif not _row_blank(row) and not row["remove"]:
            services.variant_add(actor=request.user, product=product, **_row_variant(row, names, currency))


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    """Edit a product: text, images, commission, variants with prices and stock."""
    try:
        product = access.managed_product_or_404(request.user, product_id)
    except NotFound:
        raise Http404 from None
    shop = product.shop
    if request.method == "GET":
        names, rows = _editor_rows(product, shop.currency)
        image_ids = [row.image_id for row in selectors.product_images(product)]
        return _editor(
            request,
            shop=shop,
            product=product,
            names=names,
            rows=rows,
            values=_values(product),
            image_ids=image_ids,
        )
    names, rows = _posted_rows(request)
    values = _posted_values(request)
    image_ids = _posted_image_ids(request)
    try:
        image_ids += _uploads(request)
        with transaction.atomic():
            services.product_update(
                actor=request.user,
                product=product,
                title=values["title"],
                description=values["description"],
                is_digital=values["is_digital"],
                commission_bps=_commission(values["commission"]),
                image_ids=image_ids,
            )
            _save_variants(request, product, names, rows)
    except HavenError as exc:
        return _editor(
            request,
            shop=shop,
            product=product,
            names=names,
            rows=rows,
            values=values,
            image_ids=image_ids,
            error=exc.message,
            status=exc.status,
        )
    messages.success(request, _("Product saved."))
    return redirect("catalog:edit", product_id=product.pk)


@login_required
@require_POST
def product_status(request: HttpRequest, product_id: int) -> HttpResponse:
    """Put on sale, back to draft, or archive (buttons of the editor and the product list)."""
    status = request.POST.get("status", "")[:10]
    try:
        product = services.product_set_status(actor=request.user, product=product_id, status=status)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:edit", product_id=product_id)
    labels = {
        Product.Status.ACTIVE: _("The product is on sale."),
        Product.Status.DRAFT: _("The product is a draft again."),
        Product.Status.ARCHIVED: _("The product is archived."),
    }
    messages.success(request, labels[Product.Status(product.status)])
    back = request.POST.get("next", "")
    if back == "manage":
        return redirect("catalog:manage", shop_id=product.shop_id)
    return redirect("catalog:edit", product_id=product.pk)


@login_required
@require_GET
def manage(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The shop's products with status and stock, for its staff (any role sees; managers change)."""
    try:
        shop = shops_access.staff_shop_or_404(request.user, shop_id, roles=shops_access.FULFIL)
    except NotFound:
        raise Http404 from None
    role = shops_access.staff_role(request.user, shop)
    context = {
        "shop": shop,
        "rows": selectors.manage_rows(shop),
        "can_manage": shops_access.is_operator(request.user) or role in set(shops_access.MANAGE),
        "nav_section": "me",
    }
    return render(request, "catalog/manage.html", context)


@login_required
@require_POST
def stock_adjust(request: HttpRequest, variant_id: int) -> HttpResponse:
    """Add to or take from a variant's stock (the product list's +/- form)."""
    raw = request.POST.get("delta", "").strip()[:9]
    try:
        delta = int(raw)
    except ValueError:
        delta = 0
    try:
        variant = services.stock_adjust(actor=request.user, variant=variant_id, delta=delta)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        variant = Variant.objects.select_related("product").get(pk=variant_id)
        return redirect("catalog:manage", shop_id=variant.product.shop_id)
    messages.success(request, _("Stock updated."))
    return redirect("catalog:manage", shop_id=variant.product.shop_id)


# ---------------------------------------------------------------------------------------------
# Tagging products on a note


def _posted_tags(request: HttpRequest) -> list[dict[str, Any]]:
    post = request.POST
    ids = post.getlist("t_product")[: TAGS_PER_NOTE_MAX + 1]

    def col(name: str) -> list[str]:
        values = [str(v)[:6] for v in post.getlist(name)[: len(ids)]]
        return values + [""] * (len(ids) - len(values))

    indexes, xs, ys = col("t_image"), col("t_x"), col("t_y")
    tags = []
    for pid, index, x, y in zip(ids, indexes, xs, ys, strict=True):
        if not (pid.isascii() and pid.isdigit()):
            continue
        tag: dict[str, Any] = {"product_id": int(pid)}
        if index.isdigit() and int(index) >= 1 and x.isdigit() and y.isdigit():
            tag.update(image_index=int(index) - 1, x=int(x), y=int(y))  # the form counts photos from 1
        tags.append(tag)
    return tags


def _search(user: Any, query: str) -> list[Product]:
    """Products the author may tag: their own shops' first, then any product on sale, by title."""
    own = ShopStaff.objects.filter(user_id=user.pk).values("shop_id")
    rows = access.public_products().select_related("shop")
    if query:
        rows = rows.filter(title__icontains=query)
    mine = Case(When(shop__in=own, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(rows.annotate(mine=mine).order_by("mine", "-sold_count", "-created_at")[:SEARCH_MAX])


@login_required
@require_http_methods(["GET", "POST"])
def tag_products(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author places products on their note: search, add, remove, and pin them on a photo."""
    try:
        note = notes_access.editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:QUERY_MAX]
    error = ""
    if request.method == "POST":
        tags = _posted_tags(request)
        remove = request.POST.get("remove", "")
        add = request.POST.get("add", "")
        tags = [t for t in tags if str(t["product_id"]) != remove]
        if add.isascii() and add.isdigit() and all(t["product_id"] != int(add) for t in tags):
            tags.append({"product_id": int(add)})
        try:
            services.note_tags_set(author=request.user, note=note, tags=tags)
        except HavenError as exc:
            error = exc.message
        else:
            if request.POST.get("done"):
                messages.success(request, _("Products saved."))
                return redirect("notes:detail", note_id=note.pk)
            url = reverse("catalog:tag", args=[note.pk])
            return redirect(f"{url}?q={query}" if query else url)
    current = access.note_tags_for(request.user, note)
    tagged = {t.product_id for t in current}
    images = notes_selectors.note_images(note)
    context = {
        "note": note,
        "tags": selectors.tag_data(current),
        "images": [
            {"index": n, "url": rendition_url(item.image, "grid", note=note), "alt": item.alt_text}
            for n, item in enumerate(images)
        ],
        "results": [
            c for c in selectors.product_cards(_search(request.user, query)) if c["id"] not in tagged
        ],
        "query": query,
        "error": error,
        "limit": TAGS_PER_NOTE_MAX,
        "query_max": QUERY_MAX,
        "nav_section": "me",
    }
    return render(request, "catalog/tag.html", context, status=400 if error else 200)
