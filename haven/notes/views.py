"""HTML views of notes: the note page, the composer (create, edit), drafts, publish and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from haven.accounts.selectors import avatar_url
from haven.core import http_cache
from haven.core.errors import HavenError, InvalidInput, NotFound
from haven.core.input import parse_id
from haven.core.pagination import MAX_PAGE_SIZE
from haven.graph import selectors as graph_selectors
from haven.media import access as media_access
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.notes import hooks, selectors, services
from haven.notes.access import editable_note_or_404, shareable_page
from haven.notes.forms import NoteForm
from haven.notes.models import (
    ALT_MAX,
    BODY_MAX,
    LOCATION_MAX,
    MAX_IMAGES,
    TITLE_MAX,
    Note,
    NoteImage,
    Visibility,
)
from haven.notes.templatetags.notes_ui import blurhash_color

DRAFTS_PAGE_SIZE = 24
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _hx_aware_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a full navigation (HX-Redirect) and browsers as a 302."""
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# ---------------------------------------------------------------------------------------------
# The note page


def _slide(item: NoteImage, index: int, total: int) -> dict[str, Any]:
    image = item.image
    return {
        "url": rendition_url(image, "detail", note=item.note),
        "width": image.width or 3,
        "height": image.height or 4,
        "alt": item.alt_text,
        "state": image.state,
        "placeholder": blurhash_color(image.blurhash),
        "label": _("Image %(n)d of %(total)d") % {"n": index + 1, "total": total},
    }


def _follow_state(viewer: Any, author: Any) -> str:
    """ "self", "following", "requested" or "none": what graph's follow button shows."""
    if not viewer.is_authenticated:
        return "none"
    if viewer.pk == author.pk:
        return "self"
    if graph_selectors.is_following(viewer, author):
        return "following"
    if author.is_private and graph_selectors.has_pending_request(viewer, author):
        return "requested"
    return "none"


@http_cache.cacheable_page()
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    """The note page: carousel, text, author, comments and the action bar (404 unless visible)."""
    try:
        note = selectors.note_detail(request.user, note_id)
    except NotFound:
        raise Http404 from None
    http_cache.share(request, public=shareable_page(note))
    items = selectors.note_images(note)
    slides = [_slide(item, i, len(items)) for i, item in enumerate(items)]
    cover = selectors.cover_image(note)
    og_image = rendition_url(cover.image, "detail", note=note) if cover else ""
    first = items[0].image if items else None
    # The frame takes the first image's shape, clamped to 3:4 .. 4:3 like the feed cards (phones).
    frame = (first.width / first.height) if first and first.width and first.height else 0.75
    context = {
        "note": note,
        "author": note.author,
        "author_avatar": avatar_url(note.author),
        "slides": slides,
        "frame_ratio": f"{min(max(frame, 0.75), 4 / 3):.4f}",
        "hashtags": selectors.note_hashtags_not_in_body(note),  # the body links the others inline
        "is_owner": request.user.is_authenticated and request.user.pk == note.author_id,
        "target": note.author,
        "follow_state": _follow_state(request.user, note.author),
        "og_image": request.build_absolute_uri(og_image) if og_image else "",
        "share_url": request.build_absolute_uri(reverse("notes:detail", args=[note.pk])),
        "is_draft": note.status == Note.Status.DRAFT,
        # Where it was first posted (an import, through notes.hooks): one query by the provider.
        "provenance": hooks.provenance_of([note.pk]).get(note.pk),
    }
    player = selectors.video_player(note)
    if player is not None:
        ratio = (player.get("width") or 9) / (player.get("height") or 16)
        context.update(
            player=player,
            player_ratio=f"{min(max(ratio, 9 / 16), 16 / 9):.4f}",
            bilingual=_bilingual_tracks(request, note, player),
            caption_languages=CAPTION_LANGUAGES,
            poster={
                "at_s": f"{player.get('poster_at_ms', 0) / 1000:.1f}",
                "max_s": f"{player.get('duration_ms', 0) / 1000:.1f}",
            },
        )
        if player.get("ready") and player.get("poster"):
            context["og_image"] = request.build_absolute_uri(player["poster"])
    return render(request, "notes/detail.html", context)


#: Languages offered for caption uploads (any BCP 47 code works through the API).
CAPTION_LANGUAGES = [
    ("zh-Hans", "简体中文"),
    ("zh-Hant", "繁體中文"),
    ("en", "English"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("vi", "Tiếng Việt"),
    ("th", "ไทย"),
]


def _bilingual_tracks(request: HttpRequest, note: Note, player: dict[str, Any]) -> list[dict[str, str]]:
    """A bilingual caption track (the original line, then its translation into the reader's interface
    language) for each track in another language than the interface's (haven.translation.captions)."""
    from django.utils.translation import get_language

    target = "zh-Hans" if (get_language() or "en").lower().startswith("zh") else "en"
    tracks = []
    for caption in player.get("captions", []):
        if caption["language"].split("-")[0].lower() == target.split("-")[0].lower():
            continue
        try:
            base = reverse(
                "translation:caption_track", kwargs={"note_id": note.pk, "source": caption["language"]}
            )
        except NoReverseMatch:
            return []
        tracks.append(
            {
                "url": f"{base}?target={target}&mode=bilingual",
                "language": target,
                "label": _("%(caption)s + translation") % {"caption": caption["label"]},
            }
        )
    return tracks[:3]


@login_required
@require_POST
def captions_upload(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author adds (or replaces) a caption track of their video note (no-JS form)."""
    from haven.media import services as media_services

    try:
        note = editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    file = request.FILES.get("file")
    if not note.video_id or file is None or (file.size or 0) > CAPTION_UPLOAD_MAX:
        messages.error(request, _("Choose a WebVTT or SRT file (at most 512 KB)."))
        return redirect("notes:detail", note_id=note.pk)
    try:
        media_services.caption_set(
            owner=request.user,
            video_id=note.video_id,
            language=str(request.POST.get("language", ""))[:16],
            data=file.read(CAPTION_UPLOAD_MAX + 1),
            filename=file.name or "",
        )
    except HavenError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Captions added."))
    return redirect("notes:detail", note_id=note.pk)


@login_required
@require_POST
def captions_delete(request: HttpRequest, note_id: int, language: str) -> HttpResponse:
    """The author deletes a caption track of their video note."""
    from haven.media import services as media_services

    try:
        note = editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    if note.video_id:
        try:
            media_services.caption_delete(owner=request.user, video_id=note.video_id, language=language[:16])
        except HavenError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Captions deleted."))
    return redirect("notes:detail", note_id=note.pk)


CAPTION_UPLOAD_MAX = 512 * 1024


@login_required
@require_POST
def video_poster(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author chooses the cover frame of their video note (seconds into it; the worker takes it)."""
    from haven.media import services as media_services

    try:
        note = editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    raw = str(request.POST.get("at", ""))[:12].strip()
    try:
        at_ms = round(float(raw) * 1000)
    except ValueError:
        at_ms = -1
    if not note.video_id or not 0 <= at_ms <= 24 * 3600 * 1000:
        messages.error(request, _("That moment is not in the video."))
        return redirect("notes:detail", note_id=note.pk)
    try:
        media_services.video_set_poster(owner=note.author, video_id=note.video_id, at_ms=at_ms)
    except HavenError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The new cover will show in a moment."))
    return redirect("notes:detail", note_id=note.pk)


# ---------------------------------------------------------------------------------------------
# The composer


def _thumb(image: MediaImage, alt: str) -> dict[str, Any]:
    return {
        "id": image.pk,
        "state": image.state,
        "url": rendition_url(image, "grid"),
        "alt": alt,
        "placeholder": blurhash_color(image.blurhash),
    }


def _posted_thumbs(user: Any, ids: list[int], alts: list[str]) -> list[dict[str, Any]]:
    """Thumbs for images a refused form carried, so the member does not have to upload them again."""
    alts = alts + [""] * (len(ids) - len(alts))
    try:
        images = media_access.usable_images(user, ids)
    except HavenError:
        images = []
        for image_id in ids:
            try:
                image = media_access.owned_image_or_404(user, image_id)
            except HavenError:
                continue
            if image.state != MediaImage.State.FAILED:
                images.append(image)
    by_id = {image.pk: image for image in images}
    return [_thumb(by_id[i], alt) for i, alt in zip(ids, alts, strict=False) if i in by_id][:MAX_IMAGES]


def _note_thumbs(note: Note) -> list[dict[str, Any]]:
    return [_thumb(item.image, item.alt_text) for item in selectors.note_images(note)]


def _raw_list(request: HttpRequest, name: str, limit: int) -> list[str]:
    return [str(v)[:limit] for v in request.POST.getlist(name)[: MAX_IMAGES + 1]]


def _posted_ids(request: HttpRequest) -> list[int]:
    """The posted image ids that are ids at all (for showing thumbs again; the form refuses junk)."""
    ids = []
    for value in _raw_list(request, "image_ids", 20):
        try:
            ids.append(parse_id(value))
        except InvalidInput:
            continue
    return ids


def _composer(
    request: HttpRequest,
    form: NoteForm,
    *,
    thumbs: list[dict[str, Any]],
    cover_index: int,
    note: Note | None = None,
    error: str = "",
    status: int = 200,
    video_id: int | None = None,
) -> HttpResponse:
    from django.conf import settings

    from haven.media.models import MediaVideo
    from haven.media.selectors import video_status

    video = MediaVideo.objects.filter(pk=video_id, owner_id=request.user.pk).first() if video_id else None
    context = {
        "form": form,
        "note": note,
        "thumbs": thumbs,
        "cover_index": cover_index if 0 <= cover_index < max(1, len(thumbs)) else 0,
        "error": error,
        "limits": {
            "title": TITLE_MAX,
            "body": BODY_MAX,
            "location": LOCATION_MAX,
            "alt": ALT_MAX,
            "images": MAX_IMAGES,
        },
        "accepted_types": ACCEPTED_TYPES,
        "video": video_status(video) if video is not None else None,
        "video_limits": {
            "megabytes": settings.HAVEN.video_max_mb,
            "minutes": max(1, settings.HAVEN.video_max_seconds // 60),
        },
        "is_draft": note is None or note.status == Note.Status.DRAFT,
        "visibility_choices": Visibility.choices,
        "nav_section": "me",
    }
    return render(request, "notes/compose.html", context, status=status)


def _upload_files(request: HttpRequest, owner: Any, ids: list[int]) -> tuple[list[int], HavenError | None]:
    """No-JS fallback: photos chosen in the plain file input are uploaded with the form itself.

    Returns the ids with the new uploads appended, and the first refusal (the photos before it stay
    uploaded, so the re-rendered composer shows them).
    """
    from haven.media import services as media_services

    files = request.FILES.getlist("files")
    if len(ids) + len(files) > MAX_IMAGES:
        return ids, InvalidInput(
            _("A note can have at most %(n)d images.") % {"n": MAX_IMAGES}, code="too_many_images"
        )
    ids = list(ids)
    for file in files:
        try:
            ids.append(media_services.image_upload(owner=owner, file=file).pk)
        except HavenError as exc:
            return ids, exc
    return ids, None


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """Write a new note: publish it or keep it as a draft."""
    if request.method == "GET":
        form = NoteForm(initial={"visibility": Visibility.PUBLIC})
        return _composer(request, form, thumbs=[], cover_index=0)
    form = NoteForm(request.POST)
    raw_ids = _posted_ids(request)
    raw_alts = _raw_list(request, "alt_texts", ALT_MAX)
    if not form.is_valid():
        thumbs = _posted_thumbs(request.user, raw_ids[:MAX_IMAGES], raw_alts)
        return _composer(
            request,
            form,
            thumbs=thumbs,
            cover_index=_int(request.POST.get("cover_index")),
            status=400,
            video_id=_int_id(request.POST.get("video_id")),
        )
    data = form.cleaned_data
    ids: list[int] = data["image_ids"]
    try:
        ids, refused = _upload_files(request, request.user, ids) if request.FILES else (ids, None)
        if refused is not None:
            raise refused
        note = services.note_create(
            author=request.user,
            title=data["title"],
            body=data["body"],
            image_ids=ids,
            alt_texts=data["alt_texts"],
            cover_index=data["cover_index"],
            visibility=data["visibility"],
            location_name=data["location_name"],
            publish=form.publishing,
            video_id=data["video_id"],
        )
    except HavenError as exc:
        thumbs = _posted_thumbs(request.user, ids, data["alt_texts"])
        return _composer(
            request,
            form,
            thumbs=thumbs,
            cover_index=data["cover_index"],
            error=exc.message,
            status=exc.status,
            video_id=data["video_id"],
        )
    if form.publishing:
        messages.success(request, _("Your note is published."))
        return redirect("notes:detail", note_id=note.pk)
    messages.success(request, _("Draft saved."))
    return redirect("notes:drafts")


def _int_id(value: Any) -> int | None:
    """A posted id, or None when it is not one (a refused form is shown again, never a 500)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) <= 18 else None


def _int(value: Any) -> int:
    try:
        return max(0, min(int(value), MAX_IMAGES - 1))
    except (TypeError, ValueError):
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, note_id: int) -> HttpResponse:
    """Edit one of my notes in the composer; a draft can be published from here."""
    try:
        note = editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    if request.method == "GET":
        form = NoteForm(
            initial={
                "title": note.title,
                "body": note.body,
                "location_name": note.location_name,
                "visibility": note.visibility,
            }
        )
        return _composer(
            request,
            form,
            thumbs=_note_thumbs(note),
            cover_index=note.cover_index,
            note=note,
            video_id=note.video_id,
        )
    form = NoteForm(request.POST)
    if not form.is_valid():
        raw_ids = _posted_ids(request)
        thumbs = _posted_thumbs(request.user, raw_ids[:MAX_IMAGES], _raw_list(request, "alt_texts", ALT_MAX))
        return _composer(
            request,
            form,
            thumbs=thumbs,
            cover_index=_int(request.POST.get("cover_index")),
            note=note,
            status=400,
            video_id=_int_id(request.POST.get("video_id")) or note.video_id,
        )
    data = form.cleaned_data
    ids = data["image_ids"]
    publish = note.status == Note.Status.DRAFT and form.publishing
    try:
        ids, refused = _upload_files(request, request.user, ids) if request.FILES else (ids, None)
        if refused is not None:
            raise refused
        with transaction.atomic():
            services.note_update(
                actor=request.user,
                note_id=note.pk,
                title=data["title"],
                body=data["body"],
                image_ids=ids,
                alt_texts=data["alt_texts"],
                cover_index=data["cover_index"],
                visibility=data["visibility"],
                location_name=data["location_name"],
                video_id=data["video_id"],
            )
            if publish:
                services.note_publish(actor=request.user, note_id=note.pk)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        thumbs = _posted_thumbs(request.user, ids, data["alt_texts"])
        return _composer(
            request,
            form,
            thumbs=thumbs,
            cover_index=data["cover_index"],
            note=note,
            error=exc.message,
            status=exc.status,
            video_id=data["video_id"] or note.video_id,
        )
    if publish:
        messages.success(request, _("Your note is published."))
    elif note.status == Note.Status.DRAFT:
        messages.success(request, _("Draft saved."))
        return redirect("notes:drafts")
    else:
        messages.success(request, _("Your changes are saved."))
    return redirect("notes:detail", note_id=note.pk)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, note_id: int) -> HttpResponse:
    """Delete one of my notes (GET asks for confirmation when scripts are off)."""
    try:
        note = editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    if request.method == "GET":
        cover = selectors.cover_image(note)
        return render(
            request,
            "notes/confirm_delete.html",
            {"note": note, "cover_url": rendition_url(cover.image, "grid", note=note) if cover else ""},
        )
    was_draft = note.status == Note.Status.DRAFT
    try:
        services.note_delete(actor=request.user, note_id=note.pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Note deleted."))
    if was_draft:
        return _hx_aware_redirect(request, reverse("notes:drafts"))
    try:
        return _hx_aware_redirect(request, reverse("web:profile", args=[request.user.username]))
    except NoReverseMatch:
        return _hx_aware_redirect(request, "/")


@login_required
@require_POST
def publish(request: HttpRequest, note_id: int) -> HttpResponse:
    """Publish one of my drafts as it is (from the drafts list)."""
    try:
        note = services.note_publish(actor=request.user, note_id=note_id)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("notes:drafts")
    messages.success(request, _("Your note is published."))
    return redirect("notes:detail", note_id=note.pk)


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    """My drafts, most recently edited first."""
    cursor = (request.GET.get("cursor") or "")[:2000] or None
    try:
        page = selectors.drafts_of(request.user, cursor, min(DRAFTS_PAGE_SIZE, MAX_PAGE_SIZE))
    except HavenError:
        return redirect("notes:drafts")
    rows = []
    for note in page.items:
        cover = selectors.cover_image(note)
        rows.append(
            {
                "note": note,
                "cover_url": rendition_url(cover.image, "grid", note=note) if cover else "",
                "placeholder": blurhash_color(cover.image.blurhash) if cover else "",
            }
        )
    next_url = f"{reverse('notes:drafts')}?cursor={page.next_cursor}" if page.next_cursor else ""
    context = {
        "rows": rows,
        "next_url": next_url,
        "nav_section": "me",
        "append": bool(cursor) and _is_htmx(request),
    }
    template = "notes/_draft_rows.html" if context["append"] else "notes/drafts.html"
    return render(request, template, context)


@require_safe
def captions(request: HttpRequest, note_id: int, language: str) -> HttpResponse:
    """A caption track of a video note the viewer may see, as sanitised WebVTT (404 otherwise)."""
    try:
        vtt = selectors.note_captions(request.user, note_id, language)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(vtt, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
