"""Sections that higher apps add to the public shop page (ADR 0001: a hook instead of an import).

Shops sits below catalog, so it cannot ask for products. The catalog app registers, from its
`AppConfig.ready()`, a function that renders the shop's product grid:

    register_shop_section("products", render_products)

where `render_products(request, shop)` returns either an HTML-safe string (`SafeString`, e.g. from
`render_to_string`) or a `(template_name, context)` pair, or None to show nothing. Sections render in
the order given by `order` (lower first); with none registered the page shows no products at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SectionResult = SafeString | tuple[str, dict[str, Any]] | None
Section = Callable[[HttpRequest, Any], SectionResult]


@dataclass(frozen=True)
class _Entry:
    name: str
    render: Section
    order: int


_sections: dict[str, _Entry] = {}


def register_shop_section(name: str, render: Section, *, order: int = 100) -> None:
    """Add (or replace, by `name`) a section of the public shop page."""
    _sections[name] = _Entry(name=name, render=render, order=order)


def unregister_shop_section(name: str) -> None:
    """Remove a section (tests)."""
    _sections.pop(name, None)


def render_sections(request: HttpRequest, shop: Any) -> list[SafeString]:
    """The HTML of every registered section for `shop`, in order; empty ones left out."""
    out: list[SafeString] = []
    for entry in sorted(_sections.values(), key=lambda e: (e.order, e.name)):
        result = entry.render(request, shop)
        if result is None:
            continue
        if isinstance(result, tuple):
            template, context = result
            html = mark_safe(render_to_string(template, context, request=request))
        else:
            html = conditional_escape(result)
        if html.strip():
            out.append(html)
    return out
