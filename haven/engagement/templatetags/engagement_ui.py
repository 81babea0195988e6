"""Template tags that put engagement (comments, like and save state) on pages of lower apps.

The note page lives in `notes`, which sits below `engagement` and may not import it; the page asks
for its engagement part by tag name instead: `{% load engagement_ui %}{% note_engagement note as eng %}`.
"""

from __future__ import annotations

from typing import Any

from django import template

from haven.engagement.services import collection_display_name
from haven.engagement.views import note_engagement as build_note_engagement

register = template.Library()


@register.simple_tag(takes_context=True)
def note_engagement(context: template.Context, note: Any) -> dict[str, Any]:
    """Comments (sorted and paged from the query string), like/save state and the save picker."""
    return build_note_engagement(context["request"], note)


@register.filter
def collection_name(collection: Any) -> str:
    """The name to show for a collection (the default one is translated)."""
    return collection_display_name(collection)
