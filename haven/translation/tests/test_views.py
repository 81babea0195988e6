"""HTML views and the aids JSON API: language tools, glosses, word lists, preferences."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import bearer, token_for
from haven.engagement.services import comment_create
from haven.notes.tests.factories import NoteFactory, UserFactory, block
from haven.translation import aids_services
from haven.translation.models import NoteTranslation, TranslationPreference, VocabularyEntry
from haven.translation.tests.conftest import libretranslate_ok, provider

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
ZH_BODY = "周末去喝咖啡，很好喝。#咖啡"


@pytest.fixture
def libre(settings: Any, serve: Any) -> Any:
    server = serve(libretranslate_ok)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url)]
    return server


@pytest.fixture
def no_provider(settings: Any) -> None:
    settings.TRANSLATION_PROVIDERS = []


def _zh_note(**kw: Any) -> Any:
    from haven.core.text import render_rich_text

    return NoteFactory(
        language="zh-Hans", title="周末咖啡", body=ZH_BODY, body_html=render_rich_text(ZH_BODY), **kw
    )


def _reader(client: Client, **kw: Any) -> Any:
    user = UserFactory(interface_language="en", languages=["en"], **kw)
    client.force_login(user)
    return user


# ------------------------------------------------------------------------------------------
# The note page shows the tools where they help


def test_english_reader_sees_translate_and_pinyin_under_a_chinese_note(client: Client, libre: Any) -> None:
    note = _zh_note()
    _reader(client)
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert f'id="tr-note-{note.pk}"' in page
    assert ">Translate<" in page.replace("</svg>", ">") and "Pinyin" in page and "Side by side" in page


def test_no_translate_control_for_a_note_in_the_readers_language(client: Client, no_provider: None) -> None:
    note = NoteFactory(language="en", title="Hello", body="Coffee time", body_html="<p>Coffee time</p>")
    _reader(client)
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "Translate</a>" not in page and "Pinyin" not in page


def test_anonymous_english_reader_sees_translate_too(client: Client, libre: Any) -> None:
    note = _zh_note()
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert f'hx-get="/translation/notes/{note.pk}/?mode=translated"' in page


def test_translate_swaps_in_the_translation_marked_with_its_provider(client: Client, libre: Any) -> None:
    note = _zh_note()
    _reader(client)
    resp = client.get(reverse("translation:note", args=[note.pk]), {"mode": "translated"}, **HX)
    body = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-mode="translated"' in body and "Translated by libretranslate" in body
    assert "[en]" in body and "Show original" in body
    original = client.get(
        reverse("translation:note", args=[note.pk]), {"mode": "original"}, **HX
    ).content.decode()
    assert 'data-mode="original"' in original and "[en]" not in original


def test_provider_output_is_rendered_safely(client: Client, settings: Any, serve: Any) -> None:
    import json

    def evil(body: dict[str, Any]) -> tuple[int, bytes]:
        return 200, json.dumps(
            {"translatedText": ["<script>alert(1)</script><img src=x onerror=alert(2)>"] * len(body["q"])}
        ).encode()

    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", serve(evil).url)]
    note = _zh_note()
    _reader(client)
    body = client.get(
        reverse("translation:note", args=[note.pk]), {"mode": "translated"}, **HX
    ).content.decode()
    assert "<script>alert" not in body and "<img" not in body


def test_without_a_provider_the_reader_is_told_kindly(client: Client, no_provider: None) -> None:
    note = _zh_note()
    _reader(client)
    resp = client.get(reverse("translation:note", args=[note.pk]), {"mode": "translated"}, **HX)
    assert resp.status_code == 200
    assert "Translation isn&#x27;t available for this language yet." in resp.content.decode()


def test_quota_errors_are_shown_nicely(client: Client, libre: Any, settings: Any) -> None:
    settings.TRANSLATION_MEMBER_QUOTA_PER_HOUR = 0
    note = _zh_note()
    _reader(client)
    body = client.get(
        reverse("translation:note", args=[note.pk]), {"mode": "translated"}, **HX
    ).content.decode()
    assert "Too many translations right now" in body


def test_no_js_fallback_translates_on_the_note_page(client: Client, libre: Any) -> None:
    note = _zh_note()
    _reader(client)
    resp = client.get(reverse("translation:note", args=[note.pk]), {"mode": "translated"})
    assert resp.status_code == 302 and resp["Location"].endswith(f"?tr=translated#tr-note-{note.pk}")
    page = client.get(resp["Location"]).content.decode()
    assert "Translated by libretranslate" in page


def test_pinyin_mode_annotates_and_makes_words_tappable(client: Client, no_provider: None) -> None:
    note = _zh_note()
    body = client.get(reverse("translation:note", args=[note.pk]), {"mode": "pinyin"}, **HX).content.decode()
    assert "<rt>kā</rt>" in body and 'class="w"' in body and 'href="/feeds/' in body


def test_tools_404_for_invisible_or_missing_notes(client: Client, no_provider: None) -> None:
    note = _zh_note()
    reader = _reader(client)
    block(note.author, reader)
    assert client.get(reverse("translation:note", args=[note.pk]), **HX).status_code == 404
    assert client.get(reverse("translation:note", args=[999999]), **HX).status_code == 404
    assert client.get(reverse("translation:side_by_side", args=[note.pk])).status_code == 404
    draft = _zh_note(draft=True)
    assert client.get(reverse("translation:note", args=[draft.pk]), **HX).status_code == 404


def test_comments_get_translate_and_pinyin(client: Client, libre: Any) -> None:
    note = NoteFactory(language="en")
    commenter = UserFactory()
    comment = comment_create(author=commenter, note_id=note.pk, body="这个咖啡店在哪里？")
    reader = _reader(client)
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert f'id="tr-c-{comment.pk}"' in page
    resp = client.get(reverse("translation:comment", args=[comment.pk]), {"mode": "translated"}, **HX)
    assert resp.status_code == 200 and "Translated by libretranslate" in resp.content.decode()
    pinyin = client.get(reverse("translation:comment", args=[comment.pk]), {"mode": "pinyin"}, **HX)
    assert "<rt>kā</rt>" in pinyin.content.decode()
    redirect = client.get(reverse("translation:comment", args=[comment.pk]), {"mode": "pinyin"})
    assert redirect.status_code == 302 and f"trc={comment.pk}.pinyin" in redirect["Location"]
    block(commenter, reader)
    assert client.get(reverse("translation:comment", args=[comment.pk]), **HX).status_code == 404


def test_side_by_side_shows_both_versions(client: Client, libre: Any) -> None:
    note = _zh_note()
    _reader(client)
    page = client.get(reverse("translation:side_by_side", args=[note.pk])).content.decode()
    assert "Original" in page and "Translated by libretranslate" in page and 'class="w"' in page


def test_side_by_side_without_provider_says_so(client: Client, no_provider: None) -> None:
    note = NoteFactory(
        language="fr", title="Bonjour", body="Le café est bon", body_html="<p>Le café est bon</p>"
    )
    page = client.get(reverse("translation:side_by_side", args=[note.pk]))
    assert page.status_code == 200 and "available for this language yet" in page.content.decode()


# ------------------------------------------------------------------------------------------
# Authors' own translations


def test_readers_see_the_authors_translation_first(client: Client, no_provider: None) -> None:
    note = _zh_note()
    aids_services.note_translation_save(
        author=note.author,
        note_id=note.pk,
        language="en",
        title="Weekend coffee",
        body="Coffee at the weekend.",
    )
    _reader(client)
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert 'data-mode="author"' in page and "Weekend coffee" in page and "own translation" in page
    assert "Show original" in page


def test_author_translation_page(client: Client) -> None:
    note = _zh_note()
    url = reverse("translation:author_translation", args=[note.pk])
    assert client.get(url).status_code == 302  # anonymous -> login
    _reader(client)
    assert client.get(url).status_code == 404  # not the author
    client.force_login(note.author)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"language": "en", "title": "", "body": ""})
    assert bad.status_code == 400
    bad_lang = client.post(url, {"language": "zh-Hans", "title": "x", "body": ""})
    assert bad_lang.status_code == 400
    ok = client.post(url, {"language": "en", "title": "Weekend", "body": "Coffee"})
    assert ok.status_code == 302
    assert NoteTranslation.objects.get(note=note, language="en").title == "Weekend"
    edit = client.get(url, {"lang": "en"}).content.decode()
    assert 'value="Weekend"' in edit
    delete_url = reverse("translation:author_translation_delete", args=[note.pk, "en"])
    assert client.post(delete_url).status_code == 302
    assert client.post(delete_url).status_code == 404


# ------------------------------------------------------------------------------------------
# Glosses and the word list


def test_gloss_partial_and_page(client: Client) -> None:
    resp = client.get(reverse("translation:gloss"), {"word": "咖啡"}, **HX)
    body = resp.content.decode()
    assert (
        resp.status_code == 200 and "kā fēi" in body and "coffee" in body and "Log in to save words" in body
    )
    assert client.get(reverse("translation:gloss"), {"word": "咖啡"}).status_code == 200
    assert client.get(reverse("translation:gloss"), {"word": ""}, **HX).status_code == 400
    assert client.get(reverse("translation:gloss"), {"word": "字" * 40}, **HX).status_code == 400
    _reader(client)
    assert "Save word" in client.get(reverse("translation:gloss"), {"word": "咖啡"}, **HX).content.decode()


def test_save_word_from_a_note_then_list_export_and_delete(client: Client) -> None:
    note = _zh_note()
    user = _reader(client)
    add = reverse("translation:vocabulary_add")
    resp = client.post(add, {"word": "咖啡", "note": note.pk, "context": "周末去喝咖啡"}, **HX)
    assert resp.status_code == 200 and "Saved" in resp.content.decode()
    entry = VocabularyEntry.objects.get(user=user, word="咖啡")
    assert entry.note_id == note.pk and entry.context == "周末去喝咖啡"
    assert client.post(add, {"word": ""}, **HX).status_code == 400
    assert client.post(add, {"word": "茶", "note": 999999}, **HX).status_code == 404
    assert client.post(add, {"word": "茶"}).status_code == 302
    page = client.get(reverse("translation:vocabulary")).content.decode()
    assert "咖啡" in page and "kā fēi" in page and "CC-CEDICT" in page and "CC BY-SA 4.0" in page

    csv_resp = client.get(reverse("translation:vocabulary_export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(csv_resp.content.decode())))
    assert csv_resp.status_code == 200 and {r["word"] for r in rows} == {"咖啡", "茶"}
    apkg = client.get(reverse("translation:vocabulary_export", args=["anki"]))
    assert (
        apkg.status_code == 200 and "collection.anki2" in zipfile.ZipFile(io.BytesIO(apkg.content)).namelist()
    )
    txt = client.get(reverse("translation:vocabulary_export", args=["txt"]))
    assert txt.status_code == 200 and txt.content.decode().startswith("#separator:tab")
    assert client.get(reverse("translation:vocabulary_export", args=["pdf"])).status_code == 404

    other = UserFactory()
    other_entry = aids_services.vocabulary_add(user=other, word="水")
    assert client.post(reverse("translation:vocabulary_delete", args=[other_entry.pk])).status_code == 404
    resp = client.post(reverse("translation:vocabulary_delete", args=[entry.pk]), **HX)
    assert resp.status_code == 200 and not VocabularyEntry.objects.filter(pk=entry.pk).exists()


def test_save_word_needs_a_member(client: Client) -> None:
    resp = client.post(reverse("translation:vocabulary_add"), {"word": "咖啡"}, **HX)
    assert resp.status_code == 401
    assert client.get(reverse("translation:vocabulary")).status_code == 302
    assert client.get(reverse("translation:vocabulary_export", args=["csv"])).status_code == 302


def test_vocabulary_pages(client: Client) -> None:
    user = _reader(client)
    for i in range(35):
        VocabularyEntry.objects.create(user=user, word=f"词{i}")
    first = client.get(reverse("translation:vocabulary")).content.decode()
    assert "Show more" in first
    assert client.get(reverse("translation:vocabulary"), {"cursor": "garbage"}).status_code == 302


def test_preferences_page_saves_and_applies(client: Client, libre: Any) -> None:
    url = reverse("translation:preferences")
    assert client.get(url).status_code == 302
    user = _reader(client)
    assert client.get(url).status_code == 200
    assert client.post(url, {"show_pinyin": "on"}).status_code == 302
    pref = TranslationPreference.objects.get(user=user)
    assert pref.show_pinyin and not pref.auto_translate
    note = _zh_note()
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert 'data-mode="pinyin"' in page and "<rt>" in page
    client.post(url, {"auto_translate": "on"})
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert 'hx-trigger="load"' in page


# ------------------------------------------------------------------------------------------
# The aids JSON API


API = "/api/v1/translation/aids"


def test_api_pinyin_and_gloss(client: Client) -> None:
    resp = client.get(f"{API}/pinyin", {"text": "我在上海"})
    assert (
        resp.status_code == 200
        and resp.json()["pinyin"] == "wǒ zài shànghǎi"
        and "<ruby>" in resp.json()["html"]
    )
    assert client.get(f"{API}/pinyin", {"text": ""}).status_code in (400, 422)
    assert client.get(f"{API}/pinyin", {"text": "字" * 6000}).status_code in (400, 422)
    gloss = client.get(f"{API}/gloss", {"word": "咖啡"}).json()
    assert gloss["pinyin"] == "kā fēi" and gloss["found"] and "CC BY-SA" in gloss["attribution"]
    missing = client.get(f"{API}/gloss", {"word": "xyz"})
    assert missing.status_code == 404 and missing.json()["code"] == "word_not_found"


def test_api_vocabulary_crud_and_exports(client: Client) -> None:
    user = UserFactory()
    _, raw = token_for(user)
    auth = bearer(raw)
    assert client.get(f"{API}/vocabulary").status_code == 401
    created = client.post(
        f"{API}/vocabulary", {"word": "咖啡", "context": "喝咖啡"}, content_type="application/json", **auth
    )
    assert created.status_code == 201 and created.json()["pinyin"] == "kā fēi"
    again = client.post(f"{API}/vocabulary", {"word": "咖啡"}, content_type="application/json", **auth)
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    too_long = client.post(f"{API}/vocabulary", {"word": "字" * 40}, content_type="application/json", **auth)
    assert too_long.status_code in (400, 422)
    hidden = NoteFactory(draft=True)
    bad_note = client.post(
        f"{API}/vocabulary", {"word": "茶", "note_id": hidden.pk}, content_type="application/json", **auth
    )
    assert bad_note.status_code == 404
    listing = client.get(f"{API}/vocabulary", {"limit": 1}, **auth).json()
    assert [i["word"] for i in listing["items"]] == ["咖啡"] and listing["next_cursor"] is None
    assert client.get(f"{API}/vocabulary", {"limit": 99}, **auth).status_code in (400, 422)
    csv_resp = client.get(f"{API}/vocabulary.csv", **auth)
    assert csv_resp.status_code == 200 and "咖啡" in csv_resp.content.decode()
    apkg = client.get(f"{API}/vocabulary.apkg", **auth)
    assert apkg.status_code == 200 and zipfile.is_zipfile(io.BytesIO(apkg.content))
    assert client.delete(f"{API}/vocabulary/{created.json()['id']}", **auth).status_code == 204
    assert client.delete(f"{API}/vocabulary/{created.json()['id']}", **auth).status_code == 404
    client.post(f"{API}/vocabulary", {"word": "茶"}, content_type="application/json", **auth)
    assert client.delete(f"{API}/vocabulary?word=茶", **auth).status_code == 204


def test_api_author_translations(client: Client) -> None:
    note = _zh_note()
    url = f"{API}/notes/{note.pk}/author-translations/en"
    assert client.get(url).status_code == 404
    assert client.put(url, {"title": "Weekend"}, content_type="application/json").status_code == 401
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.put(url, {"title": "Weekend"}, content_type="application/json").status_code == 404
    client.force_login(note.author)
    put = client.put(url, {"title": "Weekend", "body": "Coffee #weekend"}, content_type="application/json")
    assert (
        put.status_code == 200
        and put.json()["language"] == "en"
        and 'href="/feeds/' in put.json()["body_html"]
    )
    assert (
        client.put(
            f"{API}/notes/{note.pk}/author-translations/xx", {"title": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert client.put(url, {"title": "x" * 200}, content_type="application/json").status_code in (400, 422)
    client.logout()
    assert client.get(url).json()["title"] == "Weekend"
    client.force_login(note.author)
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 404
