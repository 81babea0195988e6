"""HTML views of translation: language tools under notes and comments, side by side, glosses, word lists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.core import ratelimit
from haven.core.errors import HavenError, InvalidInput, NotFound
from haven.engagement.access import get_visible_comment
from haven.notes.access import editable_note_or_404, get_visible_note
from haven.translation import aids, aids_selectors, aids_services, selectors
from haven.translation import captions as translation_captions
from haven.translation.forms import AuthorTranslationForm, GlossQueryForm, PreferencesForm, SaveWordForm
from haven.translation.models import VocabularyEntry
from haven.translation.templatetags.translation_ui import (
    comment_box,
    friendly_error,
    note_box,
    reader_for,
)

AIDS_PER_MINUTE = 120
EXPORTS_PER_HOUR = 30


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _limit(request: HttpRequest, scope: str, limit: int, window: int) -> None:
    key = str(request.user.pk) if request.user.is_authenticated else ratelimit.client_ip(request)
    ratelimit.hit(scope, key, limit=limit, window_seconds=window)


# ---------------------------------------------------------------------------------------------
# Language tools under a note or a comment (htmx partials; full-page fallbacks redirect to the note)


@require_GET
def note_tools(request: HttpRequest, note_id: int) -> HttpResponse:
    """The tools box of a note in the requested mode (original, translated, author, pinyin)."""
    try:
        note = get_visible_note(request.user, note_id)
    except NotFound:
        raise Http404 from None
    mode = request.GET.get("mode", "original")[:16]
    if not _is_htmx(request):
        return redirect(f"{reverse('notes:detail', args=[note.pk])}?tr={mode}#tr-note-{note.pk}")
    try:
        _limit(request, "translation.tools", AIDS_PER_MINUTE, 60)
        box = note_box(request, note, mode)
    except HavenError as exc:
        box = note_box(request, note, "original")
        box.error = friendly_error(exc)
    return render(request, "translation/_note_box.html", {"box": box, "note": note})


@require_GET
def comment_tools(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = get_visible_comment(request.user, comment_id)
    except NotFound:
        raise Http404 from None
    mode = request.GET.get("mode", "original")[:16]
    if not _is_htmx(request):
        url = reverse("notes:detail", args=[comment.note_id])
        return redirect(f"{url}?trc={comment.pk}.{mode}#c-{comment.pk}")
    try:
        _limit(request, "translation.tools", AIDS_PER_MINUTE, 60)
        box = comment_box(request, comment, mode)
    except HavenError as exc:
        box = comment_box(request, comment, "original")
        box.error = friendly_error(exc)
    return render(request, "translation/_comment_box.html", {"box": box, "comment": comment})


@require_GET
def side_by_side(request: HttpRequest, note_id: int) -> HttpResponse:
    """The original and its translation in two columns (stacked on phones)."""
    try:
        note = get_visible_note(request.user, note_id)
    except NotFound:
        raise Http404 from None
    box = note_box(request, note, "author")
    if not box.by_author:
        try:
            _limit(request, "translation.tools", AIDS_PER_MINUTE, 60)
            if box.machine or not box.glossable:
                box = note_box(request, note, "translated")
            else:  # no machine translator for this pair: the dictionary's word-by-word glosses, labelled
                box = note_box(request, note, "glosses")
        except HavenError as exc:
            box.error = friendly_error(exc)
    chinese = box.chinese
    original_html = aids.annotate_html(note.body_html, ruby=False) if chinese else note.body_html
    context = {"note": note, "box": box, "author": note.author, "original_html": original_html}
    return render(request, "translation/side_by_side.html", context)


# ---------------------------------------------------------------------------------------------
# Tap a word: its gloss, and saving it


@require_GET
def gloss(request: HttpRequest) -> HttpResponse:
    form = GlossQueryForm(request.GET)
    if not form.is_valid():
        return render(request, "translation/_gloss.html", {"invalid": True}, status=400)
    try:
        _limit(request, "translation.aids", AIDS_PER_MINUTE, 60)
    except HavenError as exc:
        return render(request, "translation/_gloss.html", {"error": exc.message}, status=exc.status)
    word = form.cleaned_data["word"].strip()
    entry = aids.gloss(word)
    saved = word in aids_selectors.saved_words(request.user, [word])
    context = {
        "entry": entry,
        "note_id": form.cleaned_data.get("note") or "",
        "context_text": form.cleaned_data.get("context") or "",
        "saved": saved,
        "attribution": aids.CEDICT_ATTRIBUTION,
    }
    template = "translation/_gloss.html" if _is_htmx(request) else "translation/gloss.html"
    return render(request, template, context)


@require_POST
def vocabulary_add(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        if _is_htmx(request):
            return render(request, "translation/_saved.html", {"login": True}, status=401)
        return redirect(f"{reverse('accounts:login')}?next={reverse('translation:vocabulary')}")
    form = SaveWordForm(request.POST)
    status, error, entry = 200, "", None
    if not form.is_valid():
        status, error = 400, _("That word can't be saved.")
    else:
        try:
            _limit(request, "translation.vocab", AIDS_PER_MINUTE, 60)
            entry = aids_services.vocabulary_add(
                user=request.user,
                word=form.cleaned_data["word"],
                note_id=form.cleaned_data.get("note"),
                context=form.cleaned_data.get("context") or "",
            )
        except HavenError as exc:
            status, error = exc.status, exc.message
    if _is_htmx(request):
        return render(request, "translation/_saved.html", {"entry": entry, "error": error}, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved to your words."))
    return HttpResponseRedirect(_safe_next(request, reverse("translation:vocabulary")))


@require_POST
@login_required
def vocabulary_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        aids_services.vocabulary_delete(user=request.user, entry_id=entry_id)
    except NotFound:
        raise Http404 from None
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("Word removed."))
    return redirect("translation:vocabulary")


@require_GET
@login_required
def vocabulary(request: HttpRequest) -> HttpResponse:
    """My words: the saved list with exports, newest first."""
    try:
        page = aids_selectors.vocabulary_page(request.user, cursor=request.GET.get("cursor"), limit=30)
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("translation:vocabulary")
    context = {
        "entries": page.items,
        "next_cursor": page.next_cursor,
        "total": aids_selectors.vocabulary_count(request.user),
        "max_words": VocabularyEntry.MAX_PER_USER,
        "nav_section": "settings",  # My words is a settings tab
        "append": bool(request.GET.get("cursor")),
    }
    if _is_htmx(request) and context["append"]:
        return render(request, "translation/_vocabulary_rows.html", context)
    return render(request, "translation/vocabulary.html", context)


@require_GET
@login_required
def vocabulary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        _limit(request, "translation.export", EXPORTS_PER_HOUR, 3600)
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("translation:vocabulary")
    base = request.build_absolute_uri("/")[:-1]
    rows = aids_selectors.vocabulary_rows(request.user, base_url=base)
    response: HttpResponse
    if fmt == "csv":
        response = HttpResponse(aids.vocabulary_csv(rows), content_type="text/csv; charset=utf-8")
        filename = "haven-vocabulary.csv"
    elif fmt == "anki":
        data = aids.vocabulary_apkg(rows, deck_name=_("Haven words"), owner_key=f"user:{request.user.pk}")
        response = HttpResponse(data, content_type="application/octet-stream")
        filename = "haven-vocabulary.apkg"
    elif fmt == "txt":
        response = HttpResponse(aids.vocabulary_anki_tsv(rows), content_type="text/plain; charset=utf-8")
        filename = "haven-vocabulary-anki.txt"
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------------------------
# Preferences and authors' own translations


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref = aids_selectors.preference_for(request.user)
    reader = reader_for(request)
    machine = aids_selectors.base_language(reader.target) in selectors.machine_targets()
    if request.method == "POST":
        form = PreferencesForm(request.POST, machine=machine)
        if form.is_valid():
            aids_services.preference_update(
                user=request.user,
                auto_translate=form.cleaned_data.get("auto_translate", pref.auto_translate),
                show_pinyin=form.cleaned_data["show_pinyin"],
            )
            messages.success(request, _("Your reading preferences are saved."))
            return redirect("translation:preferences")
    else:
        form = PreferencesForm(
            initial={"auto_translate": pref.auto_translate, "show_pinyin": pref.show_pinyin}, machine=machine
        )
    context = {
        "form": form,
        "nav_section": "settings",
        "word_count": aids_selectors.vocabulary_count(request.user),
        "languages": reader.languages,
    }
    return render(request, "translation/preferences.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def author_translation(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author adds or edits their own translation of their note (one per language)."""
    try:
        note = editable_note_or_404(request.user, note_id)
    except NotFound:
        raise Http404 from None
    existing = aids_selectors.author_translations(note)
    editing = request.GET.get("lang", "")[:16]
    status = 200
    if request.method == "POST":
        form = AuthorTranslationForm(request.POST, exclude_language=note.language)
        if form.is_valid():
            try:
                aids_services.note_translation_save(
                    author=request.user,
                    note_id=note.pk,
                    language=form.cleaned_data["language"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except HavenError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Your translation is published with the note."))
                return redirect("notes:detail", note.pk)
        else:
            status = 400
    else:
        initial: dict[str, Any] = {}
        current = next((tr for tr in existing if tr.language == editing), None)
        if current is not None:
            initial = {"language": current.language, "title": current.title, "body": current.body}
        else:
            reader_target = reader_for(request).target
            initial = {
                "language": "en" if aids_selectors.base_language(note.language) == "zh" else reader_target
            }
        form = AuthorTranslationForm(initial=initial, exclude_language=note.language)
    context = {"note": note, "form": form, "existing": existing, "editing": editing, "nav_section": "me"}
    return render(request, "translation/author_translation.html", context, status=status)


@require_POST
@login_required
def author_translation_delete(request: HttpRequest, note_id: int, language: str) -> HttpResponse:
    try:
        aids_services.note_translation_delete(author=request.user, note_id=note_id, language=language[:16])
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Translation removed."))
    return redirect("translation:author_translation", note_id)


# ---------------------------------------------------------------------------------------------
# Video captions in the reader's language (a <track> of the note page's player)

CAPTION_MODES = {"bilingual": True, "translated": False}


@require_GET
def caption_track(request: HttpRequest, note_id: int, source: str) -> HttpResponse:
    """The note's video's caption track `source` translated into `?target=`, as WebVTT;
    `?mode=bilingual` (the default: original and translation per cue) or `translated`.
    Errors are JSON `{code, message}` (404 for an unknown note or track)."""
    mode = request.GET.get("mode", "bilingual")[:16]
    try:
        if mode not in CAPTION_MODES:
            raise InvalidInput(_("Choose bilingual or translated captions."), code="invalid_caption_mode")
        _limit(request, "translation.tools", AIDS_PER_MINUTE, 60)
        vtt = translation_captions.caption_track(
            viewer=request.user,
            note_id=note_id,
            source_language=source[:32],
            target=request.GET.get("target", "")[:32],
            bilingual=CAPTION_MODES[mode],
        )
    except HavenError as exc:
        response: HttpResponse = JsonResponse(exc.as_dict(), status=exc.status)
        if "retry_after_seconds" in exc.details:
            response["Retry-After"] = str(exc.details["retry_after_seconds"])
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(vtt, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
