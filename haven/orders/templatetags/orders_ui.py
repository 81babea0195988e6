"""Template tags of orders: the cart badge link, optional includes filled by higher apps (reviews), and
addresses and countries as people read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time, get_datetime_format
from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from haven.core.countries import address_separator, country_name

register = template.Library()

_missing: set[str] = set()


@register.simple_tag(takes_context=True)
def include_if_exists(context: template.Context, name: str, **extra: Any) -> SafeString:
    """Render template `name` with the current context when an app provides it, else nothing.

    The order page leaves `{% include_if_exists "reviews/_order_line_review.html" line=line %}` for the
    reviews app: the page renders the same before that template exists.
    """
    if name in _missing:
        return mark_safe("")
    try:
        tpl = get_template(name)
    except TemplateDoesNotExist:
        _missing.add(name)
        return mark_safe("")
    flat: dict[str, Any] = {str(k): v for k, v in context.flatten().items()}
    flat.update(extra)
    return mark_safe(tpl.render(flat, context.get("request")))


@register.inclusion_tag("orders/_cart_link.html", takes_context=True)
def cart_badge(context: template.Context) -> dict[str, Any]:
    """A cart icon with the number of items in the signed-in member's cart (one query; none when the
    view put `cart_count` in the context)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = context.get("cart_count")
    if count is None:
        from haven.orders.selectors import cart_count

        count = cart_count(user) if user is not None else 0
    return {"cart_count": count, "signed_in": bool(getattr(user, "is_authenticated", False))}


def _field(address: Any, name: str) -> str:
    value = address.get(name) if isinstance(address, dict) else getattr(address, name, "")
    return str(value or "").strip()


@register.filter
def country(code: str) -> str:
    """A country code as its name in the active language ("CN" -> "China" / "中国")."""
    return country_name(str(code or ""))


@register.filter
def address_lines(address: Any) -> list[str]:
    """An address (an Address or an order's snapshot dict) as its street line and its place line, parts
    joined with the Chinese comma in a Chinese interface: ["8 Main St, Flat 2", "Leeds, Yorks LS1 4AP"]."""
    sep = address_separator()
    street = sep.join(p for p in (_field(address, "line1"), _field(address, "line2")) if p)
    region = " ".join(p for p in (_field(address, "region"), _field(address, "postal_code")) if p)
    place = sep.join(p for p in (_field(address, "city"), region) if p)
    return [street, place]


def _babel_locale() -> str:
    return translation.to_locale(translation.get_language() or "en")


@register.filter
def when(value: datetime | None) -> str:
    """A moment in the viewer's language and time zone, one format for a whole page (CLDR's medium date
    and short time): "Dec 6, 2026, 10:36 PM" / "2026年12月6日 22:36"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = _babel_locale()
    try:
        pattern = get_datetime_format("medium", locale=locale)
        day = format_date(local, "medium", locale=locale)
        time = format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    except (ValueError, LookupError):
        return local.strftime("%Y-%m-%d %H:%M")
    return str(pattern).replace("{1}", day).replace("{0}", time)


@register.filter
def day(value: datetime | None) -> str:
    """A date in the viewer's language (CLDR's medium date): "Dec 6, 2026" / "2026年12月6日"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    try:
        return format_date(local, "medium", locale=_babel_locale())
    except (ValueError, LookupError):
        return local.strftime("%Y-%m-%d")
