"""Commerce in a real browser, on a phone (issue 9's journey).

Lin, a creator, opens a shop and Haven's operator approves it from the review queue. Lin lists a linen
shirt in sizes M and L with a photo, puts it on sale, sets shipping to China and a 10 % creator
commission, posts a note and tags the shirt on it. Mei (interface in Chinese, on her own phone) opens the
note, taps the product tag, picks L, adds it to her cart, checks out with a new address and pays on the
sandbox payment page with the test card; the signed webhook applies at once (the tasks backend in tests
is immediate) and she lands on the thank-you page. Lin ships the order with a tracking number; Mei
confirms delivery and reviews it with five stars, and the product page shows her review as a verified
purchase. Lin's earnings page shows the commission her note earned on her own shop's sale.

Every step goes through the pages; only the members are made directly. The Chinese in names, notes
and the address uses only characters of Haven's CJK webfont subset (scripts/cjk_subset_chars.txt): a
machine without a system CJK font, like the test machine, draws the others as boxes in the screenshots.
Each page is checked for sideways scrolling at 390 px. A docs run (HAVEN_SCREENSHOT_DIR set) refreshes
docs/screenshots/shop-*.png.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.catalog.models import Product
from haven.core.money import format_money
from haven.notes.models import Note
from haven.orders.models import Order
from haven.shops.models import Shop
from tests.browser.conftest import PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]

PRICE_M, PRICE_L = "189.00", "199.00"
COMMISSION_PERCENT = 10
SHIPPING = "12.00"
TRACKING = "SF1400052377"


def _photo(path: Path, colors: tuple[str, str], size: tuple[int, int] = (900, 1200)) -> Path:
    img = Image.new("RGB", size, colors[0])
    draw = ImageDraw.Draw(img)
    draw.rectangle((size[0] // 4, size[1] // 5, size[0] * 3 // 4, size[1] * 4 // 5), fill=colors[1])
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    path.write_bytes(buf.getvalue())
    return path


def _login(context: Any, url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{url}/")
    return page


def _look(page: Any, shots: Path, name: str, *, docs: str | None = None, lift: int = 72) -> None:
    """Check the page does not scroll sideways on a phone, then screenshot the whole page.

    `docs` (a CSS selector): also a phone-screen view with that element `lift` px below the top (full-page
    shots of a phone layout draw the fixed top and tab bars mid-page), which a docs run copies to
    docs/screenshots/<name>.png.
    """
    page.wait_for_load_state("load")
    assert_no_sideways_scroll(page, name)
    page.screenshot(path=str(shots / f"{name}-full.png"), full_page=True)
    if docs is None:
        return
    page.locator(docs).first.evaluate(
        "(el, lift) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - lift)", lift
    )
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    page.evaluate("window.scrollTo(0, 0)")
    if os.environ.get("HAVEN_SCREENSHOT_DIR"):  # a docs run: refresh docs/screenshots too
        target = ROOT / "docs" / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_a_creator_sells_through_a_tagged_note_and_earns_commission(
    browser: Any, live_server: Any, shots: Path, tmp_path: Path
) -> None:
    url = live_server.url
    UserFactory(username="lin_makes", display_name="Lin")
    UserFactory(username="ops_amy", display_name="Amy (Haven)", is_staff=True)
    UserFactory(username="mei_buys", display_name="Mei 小美", languages=["zh"], interface_language="zh-hans")
    shirt_photo = _photo(tmp_path / "shirt.jpg", ("#efe7da", "#7c9a8e"))
    note_photo = _photo(tmp_path / "note.jpg", ("#f6d5c4", "#e0714f"), (1080, 1440))

    creator_ctx = browser.new_context(**PHONE)
    operator_ctx = browser.new_context(**PHONE)
    buyer_ctx = browser.new_context(**PHONE)
    try:
        # 1. Lin opens a shop; the operator approves it from the review queue.
        lin = _login(creator_ctx, url, "lin_makes")
        lin.goto(f"{url}/shop/new/")
        lin.get_by_label("Shop name").fill("Lin's Linen 小店")
        lin.get_by_label("Shop address").fill("lins-linen")
        expect(lin.locator("input[name=kind][value=creator]")).to_be_checked()
        expect(lin.locator("#shop-currency")).to_have_value("CNY")
        lin.get_by_label("Description in English").fill("Soft linen I wear every day, cut in Hangzhou.")
        lin.get_by_label("Description in Chinese").fill("我每天都穿的，上海手工做的。")
        lin.get_by_label("Return policy").fill("Returns within 7 days of delivery, unworn.")
        _look(lin, shots, "shop-open-phone")
        lin.get_by_role("button", name="Send for review").click()
        lin.wait_for_url(re.compile(r".*/shop/\d+/manage/$"))
        shop = Shop.objects.get(slug="lins-linen")
        assert shop.owner is not None and shop.owner.username == "lin_makes"
        assert shop.status == "pending"
        _look(lin, shots, "shop-pending-phone")

        ops = _login(operator_ctx, url, "ops_amy")
        ops.goto(f"{url}/shop/review/")
        card = ops.locator(".shop-review-card").filter(has_text="Lin's Linen")
        expect(card).to_have_count(1)
        _look(ops, shots, "shop-review-queue-phone")
        card.get_by_role("button", name="Approve").click()
        expect(ops.get_by_text("is approved and open")).to_be_visible()
        shop.refresh_from_db()
        assert shop.status == "active"

        # 2. Lin lists a shirt in M and L with a photo, 10 % commission, and puts it on sale.
        lin.goto(f"{url}/products/new/?shop={shop.pk}")
        lin.locator("#files").set_input_files(str(shirt_photo))
        lin.get_by_label("Title").fill("Linen shirt · 上海手工")
        lin.get_by_label("Description").fill("Washed linen, relaxed fit. Gets softer with every wash.")
        lin.get_by_label("Creator commission (%)").fill(str(COMMISSION_PERCENT))
        lin.locator("#option-name-0").fill("Size")
        rows = lin.locator("table.variant-table tbody tr")
        for n, (size, price) in enumerate((("M", PRICE_M), ("L", PRICE_L))):
            row = rows.nth(n)
            row.locator("input[name=v_sku]").fill(f"SHIRT-{size}")
            row.locator("input[name=v_opt_0]").fill(size)
            row.locator("input[name=v_price]").fill(price)
            row.locator("input[name=v_stock]").fill("5")
        _look(lin, shots, "shop-product-editor-phone")
        lin.get_by_role("button", name="Save draft").click()
        lin.wait_for_url(re.compile(r".*/products/\d+/edit/$"))
        product = Product.objects.get(shop=shop)
        assert product.commission_bps == COMMISSION_PERCENT * 100
        assert sorted(v.options["Size"] for v in product.variants.all()) == ["L", "M"]
        lin.locator("button[name=status][value=active]").click()
        expect(lin.get_by_text("The product is on sale.")).to_be_visible()
        expect(lin.locator(".editor-thumbs img")).to_have_count(1)
        _look(lin, shots, "shop-product-on-sale-phone")
        product.refresh_from_db()
        assert product.status == "active"

        # Shipping to China, on the shop's manage page.
        lin.goto(f"{url}/shop/{shop.pk}/manage/")
        lin.locator("#rate-region").select_option("CN")
        lin.locator("#rate-mode").select_option("flat")
        lin.locator("#rate-amount").fill(SHIPPING)
        lin.get_by_role("button", name="Save rate").click()
        expect(lin.get_by_text("Shipping to")).to_be_visible()
        expect(lin.locator(".shop-rate-list")).to_contain_text("12.00")
        _look(lin, shots, "shop-manage-phone")

        # 3. Lin posts a note with the composer and tags the shirt on it.
        lin.goto(f"{url}/notes/new/")
        lin.set_input_files("#photo-input", str(note_photo))
        expect(lin.locator('.upload[data-state="ready"]')).to_have_count(1, timeout=30_000)
        lin.locator("input[name=title]").fill("My everyday shirt 我的日常好物")
        lin.locator("textarea[name=body]").fill("The linen shirt I wear every day. 每天都穿它。 #linen #日常")
        lin.get_by_role("button", name="Publish").click()
        lin.wait_for_url(re.compile(r".*/notes/\d+/$"))
        note = Note.objects.get(author__username="lin_makes")
        lin.locator(f'a[href="/products/tag/{note.pk}/"]').click()
        lin.wait_for_url(f"**/products/tag/{note.pk}/")
        lin.locator(f'button[name=add][value="{product.pk}"]').click()
        expect(lin.locator("[data-tag-row]")).to_have_count(1)
        _look(lin, shots, "shop-tag-products-phone")
        lin.locator("button[name=done]").click()
        lin.wait_for_url(f"**/notes/{note.pk}/")
        expect(lin.locator(".note-products")).to_contain_text("Linen shirt")
        _look(lin, shots, "shop-note-tagged-phone")

        # 4. Mei (Chinese interface) opens the note, taps the tag, picks L and buys it.
        mei = _login(buyer_ctx, url, "mei_buys")
        mei.goto(f"{url}/notes/{note.pk}/")
        expect(mei.locator("html")).to_have_attribute("lang", "zh-Hans")
        _look(mei, shots, "shop-note-buyer-phone")
        mei.locator(".note-product a").first.click()
        mei.wait_for_url(re.compile(rf".*/products/{product.pk}/\?from_note={note.pk}$"))
        expect(mei.locator(".product-carousel .carousel-slide img").first).to_be_visible()
        mei.locator('.option-chip[data-value="L"]').click()
        expect(mei.locator("[data-price]")).to_have_text(format_money(19900, "CNY"))
        _look(mei, shots, "shop-product-phone", docs=".product-price-block", lift=300)
        mei.locator("[data-add-to-cart]").click()
        mei.wait_for_url("**/cart/")
        line = mei.locator(".cart-line")
        expect(line).to_have_count(1)
        expect(line.locator(".cart-variant")).to_contain_text("L")
        mei.reload()  # without the "Added to your cart" message over the heading
        _look(mei, shots, "shop-cart-phone", docs="main")

        mei.locator('.cart-summary a[href^="/checkout/"]').click()
        mei.wait_for_url(re.compile(r".*/checkout/\?.*"))
        form = mei.locator("form.address-form")
        form.locator("#a-name").fill("张小美")
        form.locator("#a-line1").fill("静安区新中心大道 8 号")
        form.locator("#a-city").fill("上海")
        form.locator("#a-region").fill("上海市")
        form.locator("#a-postal").fill("200040")
        form.locator("#a-country").select_option("CN")
        form.locator("#a-phone").fill("13800138000")
        form.locator("button[type=submit]").click()
        pay_button = mei.locator("button.pay-btn")
        expect(pay_button).to_be_enabled()
        total = format_money(19900 + 1200, "CNY")
        expect(mei.locator("[data-checkout-total]")).to_have_text(total)
        _look(mei, shots, "shop-checkout-phone", docs=".checkout-address .address-choices")
        pay_button.click()

        mei.wait_for_url(re.compile(r".*/pay/[^/]+/$"))
        expect(mei.locator(".pay-submit")).to_contain_text(total)
        mei.locator("#card-number").fill("4242 4242 4242 4242")
        mei.locator("#card-expiry").fill("12/34")
        mei.locator("#card-cvc").fill("123")
        mei.locator("#card-name").fill("WANG XIAOMEI")
        _look(mei, shots, "shop-payment-phone", docs="main")
        mei.locator(".pay-submit").click()
        mei.wait_for_url(re.compile(r".*/checkout/\d+/done/$"), timeout=30_000)
        expect(mei.locator(".done-hero")).to_be_visible()
        _look(mei, shots, "shop-thank-you-phone")
        order = Order.objects.get(shop=shop)
        assert order.buyer is not None and order.buyer.username == "mei_buys"
        assert order.status == "paid"

        # 5. Lin ships it from the shop's orders.
        lin.goto(f"{url}/orders/sales/?shop={shop.pk}")
        _look(lin, shots, "shop-sales-phone")
        lin.locator(f'a[href="/orders/{order.number}/"]').click()
        lin.wait_for_url(f"**/orders/{order.number}/")
        lin.locator("#ship-carrier").fill("SF Express")
        lin.locator("#ship-tracking").fill(TRACKING)
        lin.get_by_role("button", name="Mark as shipped").click()
        expect(lin.locator(".tracking-number")).to_have_text(TRACKING)
        _look(lin, shots, "shop-order-shipped-seller-phone")
        order.refresh_from_db()
        assert order.status == "shipped"

        # 6. Mei confirms delivery and reviews it with five stars.
        mei.goto(f"{url}/orders/{order.number}/")
        expect(mei.locator(".tracking-number")).to_have_text(TRACKING)
        mei.locator(f'form[action="/orders/{order.number}/confirm/"] button').click()
        review_link = mei.locator(".line-review a[href^='/reviews/new/']")
        expect(review_link).to_be_visible()
        mei.reload()
        _look(mei, shots, "shop-order-phone", docs="main")
        review_link.click()
        mei.wait_for_url("**/reviews/new/*/")
        mei.locator('label[for="rating-5"]').click()
        expect(mei.locator("#rating-5")).to_be_checked()
        mei.locator("#review-body").fill("面料非常好，大小刚好，非常喜欢！Lovely fabric, L fits well.")
        _look(mei, shots, "shop-review-form-phone")
        mei.locator("form.review-form button[type=submit]").click()
        mei.wait_for_url(f"**/orders/{order.number}/")
        mei.goto(f"{url}/products/{product.pk}/")
        review = mei.locator("#reviews .review").first
        expect(review).to_contain_text("面料非常好")
        expect(review.locator(".review-verified")).to_be_visible()
        expect(review.locator(".review-verified")).not_to_have_text("Verified purchase")  # in Chinese
        expect(mei.locator("#reviews .review-average-number")).to_have_text("5.0")  # one summary, not two
        expect(mei.locator("#reviews .rating-summary")).to_have_count(0)
        review.scroll_into_view_if_needed()
        _look(mei, shots, "shop-product-reviewed-phone")

        # 7. Lin's earnings: the commission of her note on her own shop's sale (price x 10 %).
        commission = format_money(19900 * COMMISSION_PERCENT // 100, "CNY")
        lin.goto(f"{url}/earnings/")
        cards = lin.locator(".earn-cards")
        expect(cards).to_contain_text(commission)
        expect(lin.locator(".earn-rank")).to_contain_text("My everyday shirt")
        expect(lin.locator(".earn-rank")).to_contain_text(commission)
        _look(lin, shots, "shop-earnings-phone", docs="main")
    finally:
        creator_ctx.close()
        operator_ctx.close()
        buyer_ctx.close()
