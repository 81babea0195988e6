"""The single sanitizer for all user-supplied or third-party HTML (nh3, an ammonia binding)."""

from __future__ import annotations

import nh3

SANITIZER_VERSION = "1"

ALLOWED_TAGS = {"a", "b", "strong", "i", "em", "br", "p", "span", "ruby", "rt", "rp"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class", "lang"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Return HTML safe to place in a page: unknown tags dropped, links made safe and `rel`-marked."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def strip_all(text: str) -> str:
    """Remove every tag, keeping text (escaped)."""
    return nh3.clean(text, tags=set(), attributes={})
