"""Who may use which image: members use their own uploads only; everything else looks missing."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import InvalidInput, NotFound
from haven.media.models import MediaImage
from haven.media.states import FAILED

#: More ids than any note can carry is a malformed request, not a lookup.
MAX_IDS = 50


def owned_image_or_404(owner: User, image_id: int) -> MediaImage:
    """The owner's image `image_id`; NotFound for a missing id and for someone else's image alike."""
    image = MediaImage.objects.filter(pk=image_id, owner_id=owner.pk).first()
    if image is None:
        raise NotFound(_("Image not found."), code="image_not_found")
    return image


def usable_images(owner: User, ids: Sequence[int]) -> list[MediaImage]:
    """The owner's images `ids` that may go into a note (not failed), in the order of `ids`.

    Any missing, foreign, failed or repeated id refuses the whole list (InvalidInput "invalid_images").
    """
    ids = list(ids)
    if not ids:
        return []
    if len(ids) > MAX_IDS or len(set(ids)) != len(ids):
        raise InvalidInput(_("Some photos cannot be used."), code="invalid_images")
    rows = MediaImage.objects.filter(pk__in=ids, owner_id=owner.pk).exclude(state=FAILED)
    found = {image.pk: image for image in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            _("Some photos cannot be used."), code="invalid_images", details={"image_ids": missing[:MAX_IDS]}
        )
    return [found[i] for i in ids]
