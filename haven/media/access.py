"""Who may use which image (members use their own uploads only) and who may fetch which rendition."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import InvalidInput, NotFound
from haven.media.models import MediaImage, MediaVideo
from haven.media.states import FAILED, REJECTED

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


def owned_video_or_404(owner: User, video_id: int) -> MediaVideo:
    """The owner's video `video_id`; NotFound for a missing id and for someone else's video alike."""
    video = MediaVideo.objects.filter(pk=video_id, owner_id=owner.pk).first()
    if video is None:
        raise NotFound(_("Video not found."), code="video_not_found")
    return video


def usable_video(owner: User, video_id: int, *, note_id: int | None = None) -> MediaVideo:
    """The owner's video `video_id` that may go into a note: not failed or rejected, and not shown by
    another note than `note_id`. InvalidInput "invalid_video" otherwise."""
    video = (
        MediaVideo.objects.filter(pk=video_id, owner_id=owner.pk)
        .exclude(state__in=(FAILED, REJECTED))
        .select_related("note")
        .first()
    )
    used_elsewhere = (
        video is not None and getattr(video, "note", None) is not None and video.note.pk != note_id
    )
    if video is None or used_elsewhere:
        raise InvalidInput(_("This video cannot be used."), code="invalid_video")
    return video


# ----------------------------------------------------------------------------------------------
# Who may fetch a rendition (docs/adr/0004-media-access.md)
#
# Renditions are served only through the app (media.views.rendition). A rendition of a note that
# anyone may see has a stable URL; every other rendition URL carries a short-lived signature bound
# to the note's access state, so narrowing a note (followers -> only me, ...) revokes it at once.
# Notes sit above media, so notes registers how an image's audience is known (the ADR 0001 pattern);
# the rule itself stays in notes.access.

#: Signed URLs stay the same within one bucket (cacheable pages and images) and live 1 to 2 buckets.
SIGNED_URL_BUCKET_SECONDS = 3600
SIGNED_URL_SALT = "haven.media.rendition"


@dataclass(frozen=True)
class AudienceProvider:
    """What notes tells media about the notes that show images (filled from NotesConfig.ready()).

    of_note(note) -> (public, key): for a loaded note, without queries. `public`: anyone may see it,
    so its images get stable URLs (a hint: a note it cannot judge counts as not public, which only
    costs a signed URL). `key`: the note's access state; signed URLs are bound to it, so changing it
    (followers -> only me, ...) revokes every URL minted before.
    key_now(image_id, note_id): the key read now; None when the note is gone or does not show the image.
    is_public_image(image_id): whether a note anyone may see shows the image, read now.
    """

    of_note: Callable[[Any], tuple[bool, str]]
    key_now: Callable[[int, int], str | None]
    is_public_image: Callable[[int], bool]
    # The same two for videos (a video note shows one video): video_key_now(video_id, note_id).
    video_key_now: Callable[[int, int], str | None] | None = None
    is_public_video: Callable[[int], bool] | None = None


_provider: AudienceProvider | None = None


def register_audience_provider(provider: AudienceProvider) -> None:
    global _provider
    _provider = provider


def audience_provider() -> AudienceProvider | None:
    return _provider


def _signer() -> signing.Signer:
    return signing.Signer(salt=SIGNED_URL_SALT, algorithm="sha256")


def _signed_value(image_id: int | str, name: str, note_id: int, key: str, expires: int) -> str:
    return f"{image_id}/{name}/{note_id}/{key}/{expires}"


def own_key(image: MediaImage | MediaVideo) -> str:
    """The access state of an image shown outside any note (the uploader's composer and status)."""
    return f"own:{image.owner_id}"


def signed_expiry(now: float | None = None) -> int:
    """When a URL minted now expires: the end of the next bucket (same URL for the whole bucket)."""
    bucket = SIGNED_URL_BUCKET_SECONDS
    return (int(time.time() if now is None else now) // bucket + 2) * bucket


def sign_rendition(*, image_id: int | str, name: str, note_id: int, key: str, expires: int) -> str:
    """The signature of a rendition URL (salted HMAC-SHA256 through django.core.signing)."""
    return _signer().signature(_signed_value(image_id, name, note_id, key, expires))


def signature_valid(
    *,
    image_id: int | str,
    name: str,
    note_id: int,
    key: str,
    expires: int,
    signature: str,
    now: float | None = None,
) -> bool:
    """Whether `signature` was minted for exactly this rendition and access state and is unexpired.

    Old secret keys (SECRET_KEY_FALLBACKS) are honoured through Signer.unsign.
    """
    now = time.time() if now is None else now
    if expires < now or expires > now + 2 * SIGNED_URL_BUCKET_SECONDS:
        return False
    signer = _signer()
    try:
        signer.unsign(f"{_signed_value(image_id, name, note_id, key, expires)}{signer.sep}{signature}")
    except signing.BadSignature:
        return False
    return True


def video_signed_id(video_id: int) -> str:
    """What a video rendition URL signs in place of an image id (never equal to one)."""
    return f"v{int(video_id)}"
