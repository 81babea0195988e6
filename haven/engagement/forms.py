"""HTML forms of engagement: comments and collections, bounded like the API schemas."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.engagement.models import COLLECTION_NAME_MAX, COMMENT_MAX

MAX_ID = 2**63 - 1


class CommentForm(forms.Form):
    """A comment, or a reply when `parent` names a comment of the same note."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        error_messages={
            "required": _("Write something first."),
            "max_length": _("A comment can be at most %(limit_value)d characters."),
        },
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class CollectionForm(forms.Form):
    """A new collection: a name and whether anyone may see it."""

    name = forms.CharField(
        label=_("Name"),
        max_length=COLLECTION_NAME_MAX,
        error_messages={"required": _("Give the collection a name.")},
    )
    is_public = forms.BooleanField(label=_("Anyone can see it"), required=False)
