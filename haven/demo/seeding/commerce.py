"""Demo seeding: shops with products, notes that tag them, orders at every stage and their reviews.

Everything goes through the commerce services (shops, catalog, orders, payments' sandbox, reviews),
so stock, ledger, ratings and notifications are what real use produces. Shops are approved by a
"Haven team" operator account that cannot sign in (no usable password).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from haven.accounts.models import User
from haven.catalog import services as catalog
from haven.demo import paint
from haven.demo.seeding.base import Member, SeederBase
from haven.media import services as media
from haven.notes.models import Note
from haven.orders import services as orders
from haven.payments import sandbox_flow
from haven.payments.providers import sandbox
from haven.payments.services import payment_start
from haven.reviews import services as reviews
from haven.shops import services as shops


@dataclass(frozen=True)
class ProductSpec:
    title: str
    description: str
    picture: str
    option: str
    variants: tuple[tuple[str, int, int | None], ...]  # (option value, price in minor units, stock)
    commission_bps: int = 1000
    compare_at: int | None = None


@dataclass(frozen=True)
class ShopSpec:
    owner: str
    slug: str
    name: str
    kind: str
    currency: str
    description_en: str
    description_zh: str
    return_policy: str
    logo: str
    products: tuple[ProductSpec, ...]


SHOPS: tuple[ShopSpec, ...] = (
    ShopSpec(
        owner="sophie_knits",
        slug="sophies-yarn-studio",
        name="Sophie's Yarn Studio",
        kind="creator",
        currency="USD",
        description_en="Beginner-friendly knitting kits I design and test myself, each with a video class.",
        description_zh="我亲自设计和试织的新手编织套装，每套都配视频教程。",
        return_policy="Unopened kits can be returned within 30 days.",
        logo="knitting",
        products=(
            ProductSpec(
                "Chunky scarf kit · 粗针围巾套装",
                "Everything for your first scarf: 3 skeins of merino, 10 mm bamboo needles and a step-by-step"
                " pattern in English and Chinese. Finished in a weekend.",
                "knitting",
                "colour",
                (("Oat", 4800, 25), ("Sage", 4800, 12), ("Rust", 5200, 3)),
                commission_bps=1500,
                compare_at=5900,
            ),
        ),
    ),
    ShopSpec(
        owner="chengzi_ootd",
        slug="chengzi-closet",
        name="橙子的衣橱 Chengzi Closet",
        kind="creator",
        currency="CNY",
        description_en="Everyday linen basics I wear in my outfit notes, made in small batches.",
        description_zh="我穿搭笔记里的日常亚麻基础款，小批量制作。",
        return_policy="7 天无理由退换（未穿着、吊牌完整）。",
        logo="clothes_rail",
        products=(
            ProductSpec(
                "亚麻衬衫 Linen shirt",
                "100% 亚麻，宽松版型，春夏都能穿。Relaxed fit, pre-washed so it will not shrink.",
                "outfit",
                "size",
                (("S", 26900, 20), ("M", 26900, 30), ("L", 26900, 8)),
                commission_bps=1000,
                compare_at=32900,
            ),
        ),
    ),
    ShopSpec(
        owner="coffee_nosugar",
        slug="no-sugar-coffee-lab",
        name="无糖咖啡实验室 No-Sugar Coffee Lab",
        kind="brand",
        currency="CNY",
        description_en="Small-batch specialty coffee, roasted every Monday in Hangzhou.",
        description_zh="小批量精品咖啡，每周一杭州烘焙。",
        return_policy="食品类商品拆封后不支持退货；破损包赔。",
        logo="latte",
        products=(
            ProductSpec(
                "云南日晒咖啡豆 Yunnan natural beans",
                "花香、莓果和红糖的风味。Notes of florals, berries and brown sugar. Roasted to order.",
                "iced_coffee",
                "weight",
                (("250 g", 8800, 60), ("500 g", 15800, 40)),
                commission_bps=800,
            ),
            ProductSpec(
                "挂耳咖啡 Drip bags ×10",
                "办公室也能喝到好咖啡。Good coffee at your desk: ten single-serve drip bags.",
                "latte",
                "blend",
                (("Yunnan", 5900, None), ("Ethiopia", 6900, None)),
                commission_bps=800,
            ),
        ),
    ),
)

REVIEWS_EN = (
    "Exactly like in the note! Arrived quickly and well packed.",
    "Lovely quality for the price. Would buy again.",
    "Great for beginners, the instructions are really clear.",
)
REVIEWS_ZH = (
    "和笔记里一模一样！发货很快，包装也很用心。",
    "质量很好，性价比高，会回购～",
    "新手友好，说明写得很清楚 👍",
)

#: Test card of the sandbox (docs/payments.md): always succeeds.
CARD = "4242 4242 4242 4242"


class CommerceStep(SeederBase):
    def _operator(self) -> User:
        user = User.objects.filter(username="haven_team").first()
        if user is None:
            user = User(
                username="haven_team", email="team@example.com", display_name="Haven team", is_staff=True
            )
            user.set_unusable_password()
            user.save()
        return user

    def _images(self, owner: User, picture: str, count: int) -> list[int]:
        ids = []
        for n in range(count):
            data = paint.paint_jpeg(picture, width=900, height=1200, seed=self.rng.randrange(1 << 30) + n)
            image = media.image_upload(owner=owner, file=data)
            media.image_process(image_id=image.pk)
            ids.append(image.pk)
        return ids

    def _member(self, username: str) -> Member | None:
        return next((m for m in self.members if m.persona.username == username), None)

    def create_commerce(self) -> dict[str, int]:
        """Open the demo shops, tag their products on notes and place orders; returns what was made."""
        made = {"shops": 0, "products": 0, "tags": 0, "orders": 0}
        products: list[tuple[Member, Any]] = []
        specs = [(spec, owner) for spec in SHOPS if (owner := self._member(spec.owner)) is not None]
        if not specs:
            return made
        operator = self._operator()
        for spec, owner in specs:
            logo = self._images(owner.user, spec.logo, 1)[0]
            shop = shops.shop_open(
                owner=owner.user,
                name=spec.name,
                slug=spec.slug,
                kind=spec.kind,
                currency=spec.currency,
                description_en=spec.description_en,
                description_zh=spec.description_zh,
                return_policy=spec.return_policy,
                logo_id=logo,
            )
            for region, amount in (("CN", 0 if spec.currency == "CNY" else 1500), ("US", 800), ("*", 2000)):
                shops.shipping_rate_set(
                    actor=owner.user, shop=shop, region=region, mode="flat", amount=amount
                )
            shops.shop_review(operator=operator, shop=shop, dst="active")
            made["shops"] += 1
            for item in spec.products:
                product = catalog.product_create(
                    actor=owner.user,
                    shop=shop,
                    title=item.title,
                    description=item.description,
                    commission_bps=item.commission_bps,
                    variants=[
                        {
                            "sku": f"{spec.slug[:8].upper()}-{n + 1}",
                            "options": {item.option: value},
                            "price": price,
                            "compare_at_price": item.compare_at
                            if item.compare_at and item.compare_at > price
                            else None,
                            "stock": stock,
                        }
                        for n, (value, price, stock) in enumerate(item.variants)
                    ],
                    image_ids=self._images(owner.user, item.picture, 3),
                )
                catalog.product_set_status(actor=owner.user, product=product, status="active")
                products.append((owner, product))
                made["products"] += 1
        made["tags"] = self._tag_notes(products)
        made["orders"] = self._orders(products)
        return made

    def _published(self, member: Member, limit: int) -> list[Note]:
        return list(
            Note.objects.filter(
                author=member.user, status=Note.Status.PUBLISHED, visibility="public"
            ).order_by("-published_at")[:limit]
        )

    def _tag_notes(self, products: list[tuple[Member, Any]]) -> int:
        """Each shop owner tags their products on their newest notes; the demo login tags one too."""
        count = 0
        for owner, product in products:
            for note in self._published(owner, 2):
                existing = [{"product_id": t.product_id} for t in note.product_tags.all()]
                catalog.note_tags_set(
                    author=owner.user,
                    note=note,
                    tags=[*existing, {"product_id": product.pk, "image_index": 0, "x": 520, "y": 610}],
                )
                count += 1
        if self.demo is not None and products:
            notes = self._published(self.demo, 1)
            if notes:
                catalog.note_tags_set(
                    author=self.demo.user, note=notes[0], tags=[{"product_id": products[0][1].pk}]
                )
                count += 1
        return count

    def _buy(self, buyer: Member, product: Any, note: Note | None) -> Any:
        """`buyer` taps the tag (when there is a note), adds the first variant in stock and pays."""
        if note is not None:
            catalog.tag_click_record(user=buyer.user, note=note, product=product)
        variant = next(v for v in product.variants.all() if v.stock is None or v.stock > 2)
        orders.cart_add(user=buyer.user, variant_id=variant.pk, quantity=1, note_id=note.pk if note else None)
        address = buyer.user.addresses.first() or orders.address_create(
            user=buyer.user,
            data={
                "name": buyer.user.display_name or buyer.user.username,
                "line1": "88 Riverside Road",
                "city": "Hangzhou" if buyer.persona.region == "CN" else "Seattle",
                "country": "CN" if buyer.persona.region == "CN" else "US",
                "postal_code": "310000" if buyer.persona.region == "CN" else "98101",
            },
        )
        checkout = orders.checkout_submit(
            buyer=buyer.user, key=secrets.token_hex(8), address_id=address.pk, currency=product.shop.currency
        )
        assert checkout.payment is not None
        payment = payment_start(payment=checkout.payment)
        sandbox_flow.deliver(
            payment_id=payment.pk,
            attempt=secrets.token_hex(8),
            step=sandbox.SUCCEED,
            brand="visa",
            last4=CARD[-4:],
        )
        return checkout.orders.get(shop=product.shop)

    def _orders(self, products: list[tuple[Member, Any]]) -> int:
        """Orders at every stage: delivered (reviewed), shipped, paid; some through the demo login's tag."""
        if not products:
            return 0
        buyers = [m for m in self.members if m is not self.demo and all(m is not o for o, _p in products)]
        demo_notes = self._published(self.demo, 1) if self.demo is not None else []
        count = 0
        plan: list[tuple[Member, Any, Note | None, str]] = []
        for n, (owner, product) in enumerate(products):
            tagged = self._published(owner, 1)
            for k, buyer in enumerate(buyers[n * 3 : n * 3 + 3]):
                plan.append(
                    (buyer, product, tagged[0] if tagged else None, ("delivered", "shipped", "paid")[k % 3])
                )
        if demo_notes:  # members who bought through the demo login's note: the demo login earns commission
            for buyer in buyers[-2:]:
                plan.append((buyer, products[0][1], demo_notes[0], "delivered"))
        if self.demo is not None:
            plan.append((self.demo, products[-1][1], None, "shipped"))
            plan.append((self.demo, products[1 % len(products)][1], None, "delivered"))
        for buyer, product, note, stage in plan:
            order = self._buy(buyer, product, note)
            owner = product.shop.owner
            if stage in ("shipped", "delivered"):
                order = orders.order_ship(
                    actor=owner,
                    order=order,
                    carrier="SF Express",
                    tracking_number=f"SF{self.rng.randrange(10**11):011d}",
                )
            if stage == "delivered":
                orders.order_confirm_delivery(actor=buyer.user, order=order)
                self.review(buyer, order)
            count += 1
        return count

    def review(self, buyer: Member, order: Any) -> None:
        """The buyer of a delivered order reviews each of its lines, in their own language."""
        for line in order.lines.all():
            zh = buyer.persona.lang == "zh"
            rating = self.rng.choice((5, 5, 5, 4))
            body = self.rng.choice(REVIEWS_ZH if zh else REVIEWS_EN)
            reviews.review_create(author=buyer.user, order_line_id=line.pk, rating=rating, body=body)
