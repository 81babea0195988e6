"""Language tools under notes and comments: translate, authors' translations, pinyin, tappable words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haven.core.errors import HavenError
from haven.core.sanitize import sanitize
from haven.translation import aids, aids_selectors

register = template.Library()

NOTE_MODES = {"original", "translated", "author", "pinyin", "glosses"}
COMMENT_MODES = {"original", "translated", "pinyin", "glosses"}


@dataclass
class Reader:
    """What the language tools need to know about the person reading (computed once per request)."""

    languages: list[str]
    target: str
    auto_translate: bool
    show_pinyin: bool
    user_id: int | None


def reader_for(request: HttpRequest | None) -> Reader:
    cached = getattr(request, "_haven_reader", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = getattr(request, "user", None)
    interface = getattr(request, "LANGUAGE_CODE", None) or get_language()
    languages = aids_selectors.reader_languages(user, interface)
    pref = aids_selectors.preference_for(user)
    reader = Reader(
        languages=languages,
        target=languages[0],
        auto_translate=pref.auto_translate,
        show_pinyin=pref.show_pinyin,
        user_id=getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None,
    )
    if request is not None:
        request._haven_reader = reader  # type: ignore[attr-defined]
    return reader


def needs_translation(text_language: str, languages: list[str]) -> bool:
    from haven.translation.selectors import needs_translation as engine_needs

    return bool(engine_needs(text_language, languages))


def is_chinese(language: str, text: str) -> bool:
    return aids_selectors.base_language(language) == "zh" or (language in {"", "und"} and aids.has_han(text))


def friendly_error(exc: HavenError) -> str:
    """The message shown in place of a translation that could not be made."""
    if exc.code in {"translation_unavailable", "translation_not_allowed_by_author"}:
        return _("Translation isn't available for this language yet.")
    if exc.code in {"translation_quota", "rate_limited"}:
        return _("Too many translations right now. Please try again in a little while.")
    if exc.code == "not_found":
        return _("This is no longer available.")
    return _("The translation couldn't be made just now. Please try again.")


@dataclass
class Box:
    """One language-tools box: which version is shown, and the controls around it."""

    kind: str  # "note" | "comment"
    obj_id: int
    mode: str
    language: str
    needs: bool
    chinese: bool
    lazy: bool = False  # auto-translate: fetch the translation after the page has loaded
    title_html: str = ""  # safe HTML (escaped text, or pinyin-annotated)
    body_html: str = ""
    result_language: str = ""
    provider: str = ""
    by_author: bool = False
    error: str = ""
    author_languages: list[dict[str, str]] = field(default_factory=list)
    is_owner: bool = False
    note_id: int = 0
    machine: bool = False  # a configured provider serves (language -> reader's language) for this content
    glossable: bool = False  # Chinese the reader does not read: word-by-word dictionary glosses help

    def offer(self) -> None:
        """Decide what is offered: machine translation only where a provider can serve it."""
        self.glossable = self.needs and self.chinese


def machine_available(language: str, target: str, *, private: bool) -> bool:
    from haven.translation.selectors import can_translate

    return bool(can_translate(language, target, private=private))


def _translate(kind: str, request: HttpRequest | None, obj_id: int, target: str) -> Any:
    from haven.translation import services

    viewer = getattr(request, "user", None)
    if kind == "note":
        return services.translate_note(viewer=viewer, note_id=obj_id, target=target)
    return services.translate_comment(viewer=viewer, comment_id=obj_id, target=target)


def _fill_machine(box: Box, request: HttpRequest | None, reader: Reader) -> None:
    try:
        result = _translate(box.kind, request, box.obj_id, reader.target)
    except HavenError as exc:
        box.error = friendly_error(exc)
        box.mode = "original"
        return
    if getattr(result, "not_needed", False):
        box.mode = "original"
        box.needs = False
        return
    box.title_html = escape(getattr(result, "title", "") or "")
    box.body_html = sanitize(result.body_html or "")  # already sanitized by the engine; cheap to be sure
    box.result_language = result.target_language
    box.provider = result.provider


def note_box(request: HttpRequest | None, note: Any, mode: str | None = None) -> Box:
    """The state of the tools under a note; `mode` None picks the reader's default."""
    reader = reader_for(request)
    translations = aids_selectors.author_translations(note)
    author_tr = aids_selectors.best_author_translation(translations, reader.languages)
    box = Box(
        kind="note",
        obj_id=note.pk,
        note_id=note.pk,
        mode="original",
        language=note.language,
        needs=needs_translation(note.language, reader.languages),
        chinese=is_chinese(note.language, f"{note.title}{note.body}"),
        is_owner=reader.user_id is not None and reader.user_id == note.author_id,
        author_languages=[
            {"code": tr.language, "label": str(aids_selectors.AUTHOR_LANGUAGES.get(tr.language, tr.language))}
            for tr in translations
        ],
    )
    box.offer()
    box.machine = box.needs and machine_available(
        note.language, reader.target, private=note.visibility != "public"
    )
    if mode is None or mode not in NOTE_MODES:
        if author_tr is not None and box.needs:
            mode = "author"
        elif reader.show_pinyin and box.chinese:
            mode = "pinyin"
        elif reader.auto_translate and box.machine:
            box.lazy = True
            mode = "original"
        else:
            mode = "original"
    box.mode = mode
    if mode == "author":
        chosen = author_tr or (translations[0] if translations else None)
        if chosen is None:
            box.mode = "original"
        else:
            box.title_html, box.body_html = escape(chosen.title), chosen.body_html
            box.result_language, box.by_author = chosen.language, True
    elif mode == "translated":
        _fill_machine(box, request, reader)
    elif mode == "pinyin":
        box.title_html = aids.annotate_text(note.title) if note.title else ""
        box.body_html = aids.annotate_html(note.body_html)
        box.result_language = note.language
    elif mode == "glosses":
        box.title_html = aids.gloss_text(note.title) if note.title else ""
        box.body_html = aids.gloss_html(note.body_html)
        box.result_language = note.language
    return box


def comment_box(
    request: HttpRequest | None, comment: Any, mode: str | None = None, *, note: Any = None
) -> Box:
    reader = reader_for(request)
    box = Box(
        kind="comment",
        obj_id=comment.pk,
        note_id=comment.note_id,
        mode="original",
        language=comment.language,
        needs=needs_translation(comment.language, reader.languages),
        chinese=is_chinese(comment.language, comment.body),
    )
    box.offer()
    if box.needs:
        box.machine = machine_available(
            comment.language, reader.target, private=_private_comment(comment, note)
        )
    if mode is None or mode not in COMMENT_MODES:
        mode = "pinyin" if reader.show_pinyin and box.chinese else "original"
        box.lazy = reader.auto_translate and box.machine and mode == "original"
    box.mode = mode
    if mode == "translated":
        _fill_machine(box, request, reader)
    elif mode == "pinyin":
        box.body_html = aids.annotate_html(comment.body_html)
        box.result_language = comment.language
    elif mode == "glosses":
        box.body_html = aids.gloss_html(comment.body_html)
        box.result_language = comment.language
    return box


def _private_comment(comment: Any, note: Any = None) -> bool:
    """Whether the comment's note is not public (its comments then go only to providers allowed for it)."""
    if note is None or getattr(note, "pk", None) != comment.note_id:
        note = comment._state.fields_cache.get("note") if hasattr(comment, "_state") else None
    if note is not None:
        return bool(note.visibility != "public")
    from haven.notes.models import Note

    return Note.objects.filter(pk=comment.note_id).exclude(visibility="public").exists()


def _requested_mode(request: HttpRequest | None, param: str, obj_id: int) -> str | None:
    """No-JS fallback: `?tr=translated` (note) or `?trc=<id>.pinyin` (comment) on the note page."""
    if request is None:
        return None
    value = request.GET.get(param, "")[:40]
    if param == "trc":
        ident, _sep, mode = value.partition(".")
        return mode if ident == str(obj_id) else None
    return value or None


@register.inclusion_tag("translation/_note_box.html", takes_context=True)
def note_language_tools(context: template.Context, note: Any) -> dict[str, Any]:
    """Under a note body: Translate / author's translation / Pinyin controls and the version shown."""
    request = context.get("request")
    return {
        "box": note_box(request, note, _requested_mode(request, "tr", note.pk)),
        "note": note,
        "request": request,
    }


@register.inclusion_tag("translation/_comment_box.html", takes_context=True)
def comment_language_tools(context: template.Context, comment: Any) -> dict[str, Any]:
    """Under a comment: Translate and Pinyin controls (shown only where they help this reader)."""
    request = context.get("request")
    note = context.get("note")
    box = comment_box(request, comment, _requested_mode(request, "trc", comment.pk), note=note)
    return {"box": box, "comment": comment, "request": request}


@register.simple_tag
def language_label(code: str) -> str:
    """A language code as a short human label ("zh-Hans" -> "Chinese (Simplified)")."""
    label = aids_selectors.AUTHOR_LANGUAGES.get(code)
    if label is None and aids_selectors.base_language(code) == "zh":
        return _("Chinese")
    if label is None:
        label = aids_selectors.AUTHOR_LANGUAGES.get(aids_selectors.base_language(code), code)
    return str(label)
