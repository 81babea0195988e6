"""HTML views of engagement: like and save toggles, comments and replies, collections."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.selectors import avatar_url
from haven.core.errors import HavenError, InvalidInput, NotFound
from haven.core.input import parse_id
from haven.engagement import access, selectors, services
from haven.engagement.forms import CollectionForm, CommentForm
from haven.engagement.models import COMMENT_MAX, Collection, Comment, Save
from haven.media.selectors import rendition_url
from haven.notes.access import get_visible_note, visible_notes
from haven.notes.models import Note, NoteImage
from haven.notes.selectors import cover_image, with_card_data

COMMENTS_PAGE_SIZE = 20
REPLIES_PAGE_SIZE = 20
COLLECTION_PAGE_SIZE = 24
MOSAIC_SIZE = 4
SORTS = {"new": "newest", "top": "top"}


# ---------------------------------------------------------------------------------------------
# Helpers shared by the views and the `note_engagement` template tag


def _optional_id(raw: str) -> int | None:
    """A posted optional id: None when absent or not an id (core.input.parse_id decides)."""
    try:
        return parse_id(raw) if raw else None
    except InvalidInput:
        return None


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect htmx performs as a full navigation (HX-Redirect) and browsers follow as a 302."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _login(request: HttpRequest, next_url: str) -> HttpResponse:
    return _redirect(request, f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


def _next(request: HttpRequest, default: str) -> str:
    """A same-site `next` from the form (or the Referer), else `default`."""
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return default


def _note_url(note_id: int, anchor: str = "") -> str:
    return reverse("notes:detail", args=[note_id]) + (f"#{anchor}" if anchor else "")


def _visible_note_or_404(viewer: Any, note_id: int) -> Note:
    try:
        return get_visible_note(viewer, note_id)
    except NotFound:
        raise Http404 from None


def sort_of(request: HttpRequest) -> str:
    """ "new" or "top", from ?sort= (anything else is "new")."""
    return "top" if request.GET.get("sort") == "top" else "new"


def decorate_comments(viewer: Any, comments: list[Comment], *, with_previews: bool) -> list[Comment]:
    """Attach `liked`, and for top-level comments `previews` and `more_replies`, for the templates."""
    previews = {c.pk: selectors.comment_replies_preview(c) for c in comments} if with_previews else {}
    ids = [c.pk for c in comments] + [r.pk for replies in previews.values() for r in replies]
    liked = selectors.liked_comment_ids(viewer, ids) if viewer.is_authenticated else set()
    for comment in comments:
        comment.liked = comment.pk in liked  # type: ignore[attr-defined]
        if with_previews:
            shown = previews[comment.pk]
            for reply in shown:
                reply.liked = reply.pk in liked  # type: ignore[attr-defined]
            comment.previews = shown  # type: ignore[attr-defined]
            comment.more_replies = max(0, comment.reply_count - len(shown))  # type: ignore[attr-defined]
    return comments


def comments_context(request: HttpRequest, note: Note, *, sort: str, cursor: str | None) -> dict[str, Any]:
    """One page of a note's top-level comments (with reply previews) and the link to the next page."""
    try:
        page = selectors.comments_page(request.user, note, SORTS[sort], cursor, COMMENTS_PAGE_SIZE)
    except InvalidInput:
        page = selectors.comments_page(request.user, note, SORTS[sort], None, COMMENTS_PAGE_SIZE)
    next_url = ""
    if page.next_cursor:
        query = urlencode({"sort": sort, "cursor": page.next_cursor})
        next_url = f"{reverse('engagement:comments', args=[note.pk])}?{query}"
    return {
        "comments": decorate_comments(request.user, list(page.items), with_previews=True),
        "next_url": next_url,
        "sort": sort,
        "viewer_id": request.user.pk if request.user.is_authenticated else None,
        "comment_max": COMMENT_MAX,
        "reply_open": "",
    }


def bar_context(request: HttpRequest, note: Note) -> dict[str, Any]:
    """The viewer's like and save state for a note, and their collections for the save picker."""
    state = selectors.viewer_state(request.user, note)
    collections = (
        selectors.collections_of(request.user, request.user) if request.user.is_authenticated else []
    )
    return {
        "liked": state["liked"],
        "saved": state["saved"],
        "saved_collection_id": state["collection_id"],
        "collections": collections,
        "has_default": any(c.is_default for c in collections),
    }


def note_engagement(request: HttpRequest, note: Note) -> dict[str, Any]:
    """Everything the note page shows below and beside the note: comments, like and save state."""
    cursor = (request.GET.get("cursor") or "")[:2000] or None
    context = comments_context(request, note, sort=sort_of(request), cursor=cursor)
    context.update(bar_context(request, note))
    context["reply_open"] = request.GET.get("reply", "")[:20]
    return context


# ---------------------------------------------------------------------------------------------
# Likes


def _action(request: HttpRequest, current: bool) -> bool:
    """The state the member asks for: an explicit `action` (like/unlike, save/unsave), else the flip."""
    action = request.POST.get("action", "")
    if action in {"like", "save"}:
        return True
    if action in {"unlike", "unsave"}:
        return False
    return not current


@require_POST
def like_toggle(request: HttpRequest, note_id: int) -> HttpResponse:
    """Like or unlike a note; htmx gets the button back (card or bar style), others a redirect."""
    if not request.user.is_authenticated:
        return _login(request, _next(request, _note_url(note_id)))
    note = _visible_note_or_404(request.user, note_id)
    liked = _action(request, note.pk in selectors.liked_note_ids(request.user, [note.pk]))
    try:
        if liked:
            services.note_like(user=request.user, note_id=note.pk)
        else:
            services.note_unlike(user=request.user, note_id=note.pk)
    except NotFound:
        raise Http404 from None
    if not is_htmx(request):
        return redirect(_next(request, _note_url(note.pk)))
    note.refresh_from_db(fields=["like_count"])
    style = "card" if request.POST.get("style") == "card" else "bar"
    template = "engagement/_card_like.html" if style == "card" else "engagement/_like_button.html"
    return render(
        request,
        template,
        {
            "note": note,
            "liked": liked,
            "card": {"id": note.pk, "liked": liked, "like_count": note.like_count},
        },
    )


@require_POST
def comment_like_toggle(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Like or unlike a comment; htmx gets the small like button back."""
    try:
        comment = access.get_visible_comment(request.user, comment_id)
    except NotFound:
        raise Http404 from None
    if not request.user.is_authenticated:
        return _login(request, _next(request, _note_url(comment.note_id, f"c-{comment.pk}")))
    liked = _action(request, comment.pk in selectors.liked_comment_ids(request.user, [comment.pk]))
    try:
        if liked:
            services.comment_like(user=request.user, comment_id=comment.pk)
        else:
            services.comment_unlike(user=request.user, comment_id=comment.pk)
    except NotFound:
        raise Http404 from None
    if not is_htmx(request):
        return redirect(_next(request, _note_url(comment.note_id, f"c-{comment.pk}")))
    comment.refresh_from_db(fields=["like_count"])
    comment.liked = liked  # type: ignore[attr-defined]
    return render(request, "engagement/_comment_like.html", {"comment": comment})


# ---------------------------------------------------------------------------------------------
# Saves and the collection picker


def _save_widget(request: HttpRequest, note: Note, status: int = 200, error: str = "") -> HttpResponse:
    note.refresh_from_db(fields=["save_count"])
    context = {
        "note": note,
        "eng": bar_context(request, note),
        "picker_open": bool(error),
        "picker_error": error,
    }
    response = render(request, "engagement/_save_widget.html", context, status=status)
    if status >= 400:
        response["HX-Reswap"] = "outerHTML"  # engagement.js lets htmx swap this 4xx answer in place
    return response


@require_POST
def save_toggle(request: HttpRequest, note_id: int) -> HttpResponse:
    """Save a note (into the default or a chosen collection), move it, or remove the save."""
    if not request.user.is_authenticated:
        return _login(request, _next(request, _note_url(note_id)))
    note = _visible_note_or_404(request.user, note_id)
    state = selectors.viewer_state(request.user, note)
    raw_collection = request.POST.get("collection_id", "")
    collection_id = _optional_id(raw_collection)
    try:
        if collection_id is not None:
            if state["collection_id"] == collection_id and request.POST.get("action") != "save":
                services.note_unsave(user=request.user, note_id=note.pk)
            else:
                services.note_save(user=request.user, note_id=note.pk, collection_id=collection_id)
        elif _action(request, state["saved"]):
            services.note_save(user=request.user, note_id=note.pk)
        else:
            services.note_unsave(user=request.user, note_id=note.pk)
    except NotFound:
        raise Http404 from None
    if not is_htmx(request):
        return redirect(_next(request, _note_url(note.pk)))
    return _save_widget(request, note)


# ---------------------------------------------------------------------------------------------
# Comments


@require_GET
def comments(request: HttpRequest, note_id: int) -> HttpResponse:
    """The comment section of a note (sorted, paged). Without htmx: the note page at its comments."""
    note = _visible_note_or_404(request.user, note_id)
    sort = sort_of(request)
    cursor = (request.GET.get("cursor") or "")[:2000] or None
    if not is_htmx(request):
        query = urlencode({k: v for k, v in {"sort": sort, "cursor": cursor or ""}.items() if v})
        return redirect(f"{reverse('notes:detail', args=[note.pk])}?{query}#comments")
    context = {"note": note, "eng": comments_context(request, note, sort=sort, cursor=cursor)}
    template = "engagement/_comment_page.html" if cursor else "engagement/_comments.html"
    return render(request, template, context)


@require_POST
def comment_create(request: HttpRequest, note_id: int) -> HttpResponse:
    """Post a comment or a reply; htmx gets the new comment (and fresh counts), others a redirect."""
    if not request.user.is_authenticated:
        return _login(request, _next(request, _note_url(note_id, "comments")))
    note = _visible_note_or_404(request.user, note_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        message = str(next(iter(form.errors.values()))[0])
        return _comment_error(request, note, message, 400)
    parent_id = form.cleaned_data.get("parent")
    try:
        comment = services.comment_create(
            author=request.user, note_id=note.pk, body=form.cleaned_data["body"], parent_id=parent_id
        )
    except NotFound as exc:
        if exc.code == "parent_not_found":
            return _comment_error(request, note, exc.message, 404)
        raise Http404 from None
    except HavenError as exc:
        return _comment_error(request, note, exc.message, exc.status)
    if not is_htmx(request):
        return redirect(_note_url(note.pk, f"c-{comment.pk}"))
    note.refresh_from_db(fields=["comment_count"])
    comment.liked = False  # type: ignore[attr-defined]
    comment.previews = []  # type: ignore[attr-defined]
    comment.more_replies = 0  # type: ignore[attr-defined]
    context = {
        "note": note,
        "comment": comment,
        "is_reply": comment.parent_id is not None,
        "eng": {"viewer_id": request.user.pk, "comment_max": COMMENT_MAX},
        "fresh": True,
    }
    return render(request, "engagement/_comment_created.html", context)


def _comment_error(request: HttpRequest, note: Note, message: str, status: int) -> HttpResponse:
    if is_htmx(request):
        response = render(
            request, "engagement/_toast.html", {"message": message, "level": "error"}, status=status
        )
        response["HX-Retarget"] = "#toasts"
        response["HX-Reswap"] = "beforeend"
        return response
    messages.error(request, message)
    return redirect(_note_url(note.pk, "comments"))


@require_GET
def replies(request: HttpRequest, comment_id: int) -> HttpResponse:
    """More replies of a thread (after the preview); a plain page without htmx."""
    try:
        parent = access.get_visible_comment(request.user, comment_id)
    except NotFound:
        raise Http404 from None
    if parent.parent_id is not None:
        raise Http404
    cursor = (request.GET.get("cursor") or "")[:2000] or None
    skip = 0 if cursor or not is_htmx(request) else len(selectors.comment_replies_preview(parent)) or 3
    try:
        page = selectors.replies_page(request.user, parent, cursor, REPLIES_PAGE_SIZE + skip)
    except InvalidInput:
        raise Http404 from None
    items = decorate_comments(request.user, list(page.items)[skip:], with_previews=False)
    next_url = ""
    if page.next_cursor:
        next_url = (
            f"{reverse('engagement:replies', args=[parent.pk])}?{urlencode({'cursor': page.next_cursor})}"
        )
    context = {
        "note": parent.note,
        "parent": parent,
        "replies": items,
        "next_url": next_url,
        "eng": {
            "viewer_id": request.user.pk if request.user.is_authenticated else None,
            "comment_max": COMMENT_MAX,
        },
    }
    if is_htmx(request):
        return render(request, "engagement/_reply_page.html", context)
    parent.liked = parent.pk in selectors.liked_comment_ids(request.user, [parent.pk])  # type: ignore[attr-defined]
    return render(request, "engagement/replies.html", context)


@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Delete a comment (its author or the note's author); htmx removes it in place."""
    if not request.user.is_authenticated:
        return _login(request, _next(request, "/"))
    try:
        comment = access.comment_deletable_or_404(request.user, comment_id)
        services.comment_delete(actor=request.user, comment_id=comment.pk)
    except NotFound:
        raise Http404 from None
    if not is_htmx(request):
        messages.success(request, _("Comment deleted."))
        return redirect(_next(request, _note_url(comment.note_id, "comments")))
    try:
        note: Note | None = get_visible_note(request.user, comment.note_id)
    except NotFound:
        note = None
    return render(request, "engagement/_comment_deleted.html", {"note": note})


# ---------------------------------------------------------------------------------------------
# Collections


def _mosaics(viewer: Any, collection_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Up to four covers per collection (most recently saved first), notes filtered by visibility.

    Three queries whatever the number of collections.
    """
    if not collection_ids:
        return {}
    ranked = (
        Save.objects.filter(collection_id__in=collection_ids, note__in=visible_notes(viewer).values("pk"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("collection_id"),
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=MOSAIC_SIZE)
        .values_list("collection_id", "note_id")
    )
    pairs = list(ranked)
    notes = {n.pk: n for n in with_card_data(Note.objects.filter(pk__in={note_id for _c, note_id in pairs}))}
    result: dict[int, list[dict[str, Any]]] = {}
    for collection_id, note_id in pairs:
        cover = cover_image(notes[note_id]) if note_id in notes else None
        if cover is not None:
            result.setdefault(collection_id, []).append(
                {"url": rendition_url(cover.image, "grid", note=notes[note_id]), "alt": cover.alt_text}
            )
    return result


@login_required
@require_GET
def collections(request: HttpRequest) -> HttpResponse:
    """My collections: the default "Saved" one first, each with a cover mosaic and a note count."""
    cards = selectors.collection_cards(request.user, request.user)
    mosaics = _mosaics(request.user, [c["collection"].pk for c in cards])
    for card in cards:
        card["name"] = services.collection_display_name(card["collection"])
        card["mosaic"] = mosaics.get(card["collection"].pk, [])
    context = {"cards": cards, "form": CollectionForm(), "nav_section": "me"}
    return render(request, "engagement/collections.html", context)


@login_required
@require_POST
def collection_create(request: HttpRequest) -> HttpResponse:
    """Create a collection; from the save picker (`save_note`), also save that note into it."""
    form = CollectionForm(request.POST)
    note_id = request.POST.get("save_note", "")
    parsed_note_id = _optional_id(note_id)
    note = _visible_note_or_404(request.user, parsed_note_id) if parsed_note_id is not None else None
    if not form.is_valid():
        message = str(next(iter(form.errors.values()))[0])
        return _collection_error(request, note, message, 400)
    try:
        with transaction.atomic():
            collection = services.collection_create(
                owner=request.user, name=form.cleaned_data["name"], is_public=form.cleaned_data["is_public"]
            )
            if note is not None:
                services.note_save(user=request.user, note_id=note.pk, collection_id=collection.pk)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        return _collection_error(request, note, exc.message, exc.status)
    if note is not None:
        if is_htmx(request):
            return _save_widget(request, note)
        messages.success(request, _("Saved to %(name)s.") % {"name": collection.name})
        return redirect(_next(request, _note_url(note.pk)))
    messages.success(request, _("Collection created."))
    return redirect("engagement:collection", collection_id=collection.pk)


def _collection_error(request: HttpRequest, note: Note | None, message: str, status: int) -> HttpResponse:
    if note is not None and is_htmx(request):
        return _save_widget(request, note, status=status, error=message)
    if is_htmx(request):
        response = render(
            request, "engagement/_toast.html", {"message": message, "level": "error"}, status=status
        )
        response["HX-Retarget"] = "#toasts"
        response["HX-Reswap"] = "beforeend"
        return response
    messages.error(request, message)
    if note is not None:
        return redirect(_next(request, _note_url(note.pk)))
    return redirect("engagement:collections")


@login_required
@require_POST
def collection_update(request: HttpRequest, collection_id: int) -> HttpResponse:
    """Rename a collection or make it public / private (owner only)."""
    name = request.POST.get("name")
    raw_public = request.POST.get("is_public")
    is_public = None if raw_public is None else raw_public in {"1", "true", "on"}
    try:
        if name is not None and len(name) > 200:
            raise InvalidInput(_("That name is too long."), code="name_too_long")
        collection = services.collection_update(
            actor=request.user, collection_id=collection_id, name=name, is_public=is_public
        )
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect(_next(request, reverse("engagement:collection", args=[collection_id])))
    if name is not None:
        messages.success(request, _("Collection renamed."))
    elif is_public is not None:
        messages.success(
            request,
            _("Anyone can see this collection now.")
            if is_public
            else _("Only you can see this collection now."),
        )
    return redirect(_next(request, reverse("engagement:collection", args=[collection.pk])))


@login_required
@require_POST
def collection_delete(request: HttpRequest, collection_id: int) -> HttpResponse:
    """Delete a collection; its notes stay saved in "Saved"."""
    try:
        services.collection_delete(actor=request.user, collection_id=collection_id)
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("engagement:collections")
    messages.success(request, _("Collection deleted. Its notes are still in Saved."))
    return _redirect(request, reverse("engagement:collections"))


def _cards(viewer: Any, notes: list[Note]) -> list[dict[str, Any]]:
    """Feed-card dicts (the shape web/_card.html reads) for notes loaded with with_card_data."""
    ids = [n.pk for n in notes]
    if not ids:
        return []
    liked = selectors.liked_note_ids(viewer, ids)
    counts = dict(
        NoteImage.objects.filter(note_id__in=ids)
        .values("note_id")
        .annotate(n=Count("id"))
        .values_list("note_id", "n")
    )
    cards = []
    for note in notes:
        cover = cover_image(note)
        image = cover.image if cover is not None else None
        cards.append(
            {
                "id": note.pk,
                "title": note.title,
                "cover": {
                    "grid_url": rendition_url(image, "grid", note=note),
                    "width": image.width,
                    "height": image.height,
                    "blurhash": image.blurhash,
                    "alt_text": cover.alt_text if cover else "",
                }
                if image is not None
                else None,
                "author": {
                    "username": note.author.username,
                    "display_name": note.author.display_name,
                    "avatar_url": avatar_url(note.author),
                },
                "like_count": note.like_count,
                "liked": note.pk in liked,
                "visibility": note.visibility,
                "image_count": counts.get(note.pk, 0),
            }
        )
    return cards


@require_GET
def collection(request: HttpRequest, collection_id: int) -> HttpResponse:
    """A collection's notes as a masonry feed (private collections are 404 for everyone but the owner)."""
    try:
        board: Collection = access.get_visible_collection(request.user, collection_id)
    except NotFound:
        raise Http404 from None
    cursor = (request.GET.get("cursor") or "")[:2000] or None
    try:
        page = selectors.collection_notes_page(request.user, board, cursor, COLLECTION_PAGE_SIZE)
    except InvalidInput:
        raise Http404 from None
    next_url = ""
    if page.next_cursor:
        next_url = (
            f"{reverse('engagement:collection', args=[board.pk])}?{urlencode({'cursor': page.next_cursor})}"
        )
    is_owner = request.user.is_authenticated and request.user.pk == board.owner_id
    context = {
        "board": board,
        "name": services.collection_display_name(board),
        "cards": _cards(request.user, list(page.items)),
        "next_url": next_url,
        "is_owner": is_owner,
        "owner_avatar": avatar_url(board.owner),
        "nav_section": "me" if is_owner else "",
        "feed_id": "collection-feed",
        "empty_message": _("No notes here yet. Tap the star on a note to save it.")
        if is_owner
        else _("No notes here yet."),
    }
    if cursor and is_htmx(request):
        return render(request, "web/_feed.html", {**context, "append": True})
    return render(request, "engagement/collection.html", context)
