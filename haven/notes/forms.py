"""HTML forms of notes: the composer (create and edit), bounded like the API's NoteIn."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.notes.models import ALT_MAX, BODY_MAX, LOCATION_MAX, MAX_IMAGES, TITLE_MAX, Visibility

#: Largest value a 64-bit signed primary key can hold.
MAX_ID = 2**63 - 1


class BoundedListField(forms.Field):
    """A list of strings posted as repeated inputs (`name=a&name=b`), bounded in items and length."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_items: int, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_items = max_items
        self.max_length = max_length

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.max_items:
            raise ValidationError(
                _("At most %(n)d items are allowed."), code="too_many", params={"n": self.max_items}
            )
        if any(len(v) > self.max_length for v in value):
            raise ValidationError(
                _("Each entry may have at most %(n)d characters."),
                code="too_long",
                params={"n": self.max_length},
            )


class ImageIdsField(BoundedListField):
    """Ordered media image ids of the composer (at most MAX_IMAGES, each a positive integer)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_items=MAX_IMAGES, max_length=20, **kwargs)

    def validate(self, value: list[str]) -> None:
        if len(value) > MAX_IMAGES:
            raise ValidationError(
                _("A note can have at most %(n)d images."), code="too_many_images", params={"n": MAX_IMAGES}
            )
        super().validate(value)
        for v in value:
            if not v.isdigit() or not 1 <= int(v) <= MAX_ID:
                raise ValidationError(_("Some photos cannot be used."), code="invalid_images")

    def clean(self, value: Any) -> list[int]:  # type: ignore[override]
        return [int(v) for v in super().clean(value)]


class NoteForm(forms.Form):
    """The composer. `action` says whether to publish or keep a draft."""

    ACTION_PUBLISH = "publish"
    ACTION_DRAFT = "draft"

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, required=False, strip=True)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    location_name = forms.CharField(label=_("Location"), max_length=LOCATION_MAX, required=False, strip=True)
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    image_ids = ImageIdsField()
    alt_texts = BoundedListField(max_items=MAX_IMAGES, max_length=ALT_MAX)
    cover_index = forms.IntegerField(min_value=0, max_value=MAX_IMAGES - 1, required=False)
    # A video note: the id of the member's uploaded video (haven.media.tus, then processed).
    video_id = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    action = forms.ChoiceField(
        choices=[(ACTION_PUBLISH, _("Publish")), (ACTION_DRAFT, _("Save draft"))],
        required=False,
    )

    def clean_cover_index(self) -> int:
        return self.cleaned_data.get("cover_index") or 0

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or self.ACTION_PUBLISH

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ids = data.get("image_ids") or []
        alts = data.get("alt_texts") or []
        if len(alts) > len(ids):
            # Alt fields without an image (a removed thumb): keep only those that belong to an image.
            data["alt_texts"] = alts[: len(ids)]
        if ids and data.get("cover_index", 0) >= len(ids):
            self.add_error(None, _("The cover must be one of the note's images."))
        return data

    @property
    def publishing(self) -> bool:
        return self.cleaned_data.get("action") == self.ACTION_PUBLISH
