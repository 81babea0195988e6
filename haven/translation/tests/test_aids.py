"""Language aids: pinyin, segmentation, CC-CEDICT glosses, vocabulary writes and exports that parse back."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.translation import aids, aids_selectors, aids_services
from haven.translation.models import NoteTranslation, VocabularyEntry


def test_segment_splits_chinese_words_and_keeps_other_text() -> None:
    assert aids.segment("我今天喝了一杯咖啡")[:3] == ["我", "今天", "喝"]
    assert "咖啡" in aids.segment("我今天喝了一杯咖啡")
    assert aids.segment("hello world") == ["hello world"]
    assert aids.segment("") == []


def test_pinyin_uses_tone_marks() -> None:
    assert aids.pinyin_of("你好") == ["nǐ", "hǎo"]
    assert aids.pinyin_text("我今天在上海") == "wǒ jīntiān zài shànghǎi"


def test_numbered_pinyin_to_tone_marks() -> None:
    assert aids.numbered_to_marks("ni3 hao3") == "nǐ hǎo"
    assert aids.numbered_to_marks("nu:3 er2") == "nǚ ér"
    assert aids.numbered_to_marks("zhou1 xiu4 ma5") == "zhōu xiù ma"
    assert aids.numbered_to_marks("Bei3 jing1") == "Běi jīng"


def test_annotate_html_wraps_text_nodes_only_and_stays_safe() -> None:
    body = '<p>喝<a href="/feeds/t/咖啡/">#咖啡</a> &lt;script&gt;好</p>'
    out = aids.annotate_html(body)
    assert "<ruby>喝<rp>(</rp><rt>hē</rt><rp>)</rp></ruby>" in out
    assert 'href="/feeds/t/咖啡/"' in out  # the link survives (its href is not annotated)
    assert "<script" not in out and "&lt;script&gt;" in out
    # Words inside links get pinyin but are not tappable; words outside are.
    link = out[out.index("<a ") : out.index("</a>")]
    assert 'class="w"' not in link
    assert out.count('class="w"') == 2


def test_annotate_text_escapes_markup() -> None:
    out = aids.annotate_text("<img src=x onerror=alert(1)>你好")
    assert "<img" not in out and "&lt;img" in out
    assert "<rt>nǐ</rt>" in out


def test_gloss_finds_words_in_both_scripts_and_falls_back_to_characters() -> None:
    coffee = aids.gloss("咖啡")
    assert coffee.found and coffee.pinyin == "kā fēi" and any("coffee" in d for d in coffee.definitions)
    assert aids.gloss("銀行").found  # traditional headword
    unknown = aids.gloss("咖啡很好喝吗")
    assert not unknown.found and unknown.definitions and unknown.pinyin.startswith("kā")
    assert len(aids.gloss("好").definitions) <= aids.MAX_DEFINITIONS


@pytest.mark.django_db
def test_vocabulary_add_updates_duplicates_and_remembers_the_note() -> None:
    user = UserFactory()
    note = NoteFactory(language="zh-Hans", body="我喝咖啡")
    first = aids_services.vocabulary_add(user=user, word="咖啡", note_id=note.pk, context="我喝咖啡")
    assert first.pinyin == "kā fēi" and "coffee" in first.gloss and first.note_id == note.pk
    again = aids_services.vocabulary_add(user=user, word=" 咖啡 ", context="new context")
    assert again.pk == first.pk and again.context == "new context"
    assert VocabularyEntry.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_vocabulary_add_refuses_invisible_notes_bad_words_and_a_full_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = UserFactory()
    hidden = NoteFactory(draft=True)
    with pytest.raises(NotFound):
        aids_services.vocabulary_add(user=user, word="咖啡", note_id=hidden.pk)
    with pytest.raises(InvalidInput) as exc:
        aids_services.vocabulary_add(user=user, word="   ")
    assert exc.value.code == "word_required"
    with pytest.raises(InvalidInput):
        aids_services.vocabulary_add(user=user, word="字" * 40)
    monkeypatch.setattr(VocabularyEntry, "MAX_PER_USER", 2)
    aids_services.vocabulary_add(user=user, word="咖啡")
    aids_services.vocabulary_add(user=user, word="茶")
    with pytest.raises(Conflict) as full:
        aids_services.vocabulary_add(user=user, word="水")
    assert full.value.code == "vocabulary_full"
    aids_services.vocabulary_add(user=user, word="茶", context="still updatable when full")


@pytest.mark.django_db
def test_vocabulary_delete_only_own_words() -> None:
    owner, other = UserFactory(), UserFactory()
    entry = aids_services.vocabulary_add(user=owner, word="咖啡")
    with pytest.raises(NotFound):
        aids_services.vocabulary_delete(user=other, entry_id=entry.pk)
    aids_services.vocabulary_delete(user=owner, word="咖啡")
    assert not VocabularyEntry.objects.exists()


@pytest.mark.django_db
def test_vocabulary_pages_are_newest_first_with_a_cursor() -> None:
    user = UserFactory()
    for word in ["一", "二", "三"]:
        aids_services.vocabulary_add(user=user, word=word)
    first = aids_selectors.vocabulary_page(user, limit=2)
    assert [e.word for e in first.items] == ["三", "二"] and first.next_cursor
    second = aids_selectors.vocabulary_page(user, cursor=first.next_cursor, limit=2)
    assert [e.word for e in second.items] == ["一"] and second.next_cursor is None


@pytest.mark.django_db
def test_csv_and_anki_exports_parse_back(tmp_path: Path) -> None:
    user = UserFactory()
    note = NoteFactory(language="zh-Hans")
    aids_services.vocabulary_add(user=user, word="咖啡", note_id=note.pk, context="我喝咖啡")
    aids_services.vocabulary_add(user=user, word="银行", context="=HYPERLINK(evil)")
    rows = list(aids_selectors.vocabulary_rows(user, base_url="https://haven.example"))

    parsed = list(csv.DictReader(io.StringIO(aids.vocabulary_csv(rows))))
    assert [r["word"] for r in parsed] == ["咖啡", "银行"]
    assert (
        parsed[0]["pinyin"] == "kā fēi" and parsed[0]["source"] == f"https://haven.example/notes/{note.pk}/"
    )
    assert parsed[1]["context"].startswith("'=")  # formulas are defused

    tsv = aids.vocabulary_anki_tsv(rows).splitlines()
    assert tsv[0] == "#separator:tab" and tsv[-1].split("\t")[0] == "银行"

    data = aids.vocabulary_apkg(rows, deck_name="Haven words", owner_key="user:1")
    path = tmp_path / "deck.apkg"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as zf:
        assert "collection.anki2" in zf.namelist()
        (tmp_path / "collection.anki2").write_bytes(zf.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        fields = [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]
    finally:
        db.close()
    assert sorted(f[0] for f in fields) == ["咖啡", "银行"]
    coffee = next(f for f in fields if f[0] == "咖啡")
    assert coffee[1] == "kā fēi" and "coffee" in coffee[2] and coffee[3] == "我喝咖啡"


@pytest.mark.django_db
def test_author_translations_are_the_authors_own() -> None:
    note = NoteFactory(language="zh-Hans", title="周末", body="去喝咖啡")
    tr = aids_services.note_translation_save(
        author=note.author, note_id=note.pk, language="en", title="Weekend", body="Coffee with #friends <b>"
    )
    assert 'href="/feeds/' in tr.body_html and "&lt;b&gt;" in tr.body_html
    again = aids_services.note_translation_save(
        author=note.author, note_id=note.pk, language="en", title="Weekend!", body=""
    )
    assert again.pk == tr.pk and NoteTranslation.objects.count() == 1
    with pytest.raises(NotFound):
        aids_services.note_translation_save(
            author=UserFactory(), note_id=note.pk, language="en", title="x", body=""
        )
    with pytest.raises(InvalidInput) as same:
        aids_services.note_translation_save(
            author=note.author, note_id=note.pk, language="zh-Hans", title="x", body=""
        )
    assert same.value.code == "same_language"
    with pytest.raises(InvalidInput):
        aids_services.note_translation_save(
            author=note.author, note_id=note.pk, language="xx", title="x", body=""
        )
    with pytest.raises(InvalidInput):
        aids_services.note_translation_save(
            author=note.author, note_id=note.pk, language="ja", title="", body=" "
        )
    aids_services.note_translation_delete(author=note.author, note_id=note.pk, language="en")
    with pytest.raises(NotFound):
        aids_services.note_translation_delete(author=note.author, note_id=note.pk, language="en")


def test_best_author_translation_prefers_exact_then_base_language() -> None:
    hant = NoteTranslation(language="zh-Hant")
    en = NoteTranslation(language="en")
    # A reader's listed languages win over another script of their own; then the other script will do.
    assert aids_selectors.best_author_translation([hant, en], ["zh-Hans", "en"]) is en
    assert aids_selectors.best_author_translation([hant, en], ["zh-Hans", "fr"]) is hant
    assert aids_selectors.best_author_translation([hant, en], ["en-GB"]) is en
    assert aids_selectors.best_author_translation([hant], ["fr"]) is None


def test_reader_languages_start_with_the_interface_language() -> None:
    class Member:
        is_authenticated = True
        languages = ["en", "ja"]

    assert aids_selectors.reader_languages(Member(), "zh-hans") == ["zh-Hans", "en", "ja"]
    assert aids_selectors.reader_languages(None, "en") == ["en"]
