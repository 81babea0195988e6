"""translate_texts / translate_note / translate_comment: cache, fallbacks, quotas, sanitizing, visibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from haven.accounts.tests.factories import UserFactory
from haven.core.errors import NotFound, RateLimited, TooLarge
from haven.engagement import services as engagement_services
from haven.graph.services import block_create
from haven.notes import services as note_services
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory
from haven.translation import services
from haven.translation.models import CachedTranslation, NoteTranslation
from haven.translation.providers import ProviderError
from haven.translation.tests.conftest import hang, libretranslate_ok, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def lt(serve: Any, settings: Any) -> Any:
    server = serve(libretranslate_ok)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="lt")]
    settings.TRANSLATION_ROUTES = {}
    return server


def zh_note(**kwargs: Any) -> Any:
    defaults = {
        "title": "周末咖啡",
        "body": "今天的拿铁很好喝 #咖啡#",
        "body_html": "<p>original</p>",
        "language": "zh-Hans",
    }
    return NoteFactory(**{**defaults, **kwargs})


class TestTranslateTexts:
    def test_translates_and_caches(self, lt: Any) -> None:
        first = services.translate_texts(texts=["你好世界", "今天很好"], source="zh-Hans", target="en")
        assert [r.text for r in first] == ["[en] 你好世界", "[en] 今天很好"]
        assert [(r.provider, r.cached, r.not_needed) for r in first] == [("lt", False, False)] * 2
        again = services.translate_texts(texts=["今天很好"], source="zh-Hans", target="en")
        assert again[0].cached and again[0].text == "[en] 今天很好"
        assert len(lt.requests) == 1
        row = CachedTranslation.objects.get(text="[en] 今天很好")
        assert (row.hits, row.source_lang, row.target_lang, row.provider) == (1, "zh", "en", "lt:1")

    def test_texts_that_need_no_translation(self, lt: Any) -> None:
        results = services.translate_texts(
            texts=["🔥🔥🔥", "#OOTD #穿搭", "Hello there friends", "", "https://example.com"],
            source="",
            target="en",
        )
        assert all(r.not_needed and r.provider == "" for r in results)
        assert results[1].html.count("<a ") == 2  # tags still linked
        assert lt.requests == []

    def test_detects_source_per_text(self, lt: Any) -> None:
        results = services.translate_texts(
            texts=["我們今天去喝咖啡", "Good morning everyone"], source="", target="zh"
        )
        assert results[0].not_needed and not results[1].not_needed
        assert lt.requests[0]["source"] == "en" and lt.requests[0]["target"] == "zh"

    def test_confident_detection_overrides_the_given_source(self, lt: Any) -> None:
        title, body = services.translate_texts(
            texts=["Had the best brunch ever at this little place downtown", "今天的拿铁很好喝，下次还来"],
            source="zh-Hans",
            target="zh",
        )
        assert not title.not_needed and body.not_needed
        assert lt.requests[0]["source"] == "en"

    def test_no_provider_for_the_pair(self, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", "http://127.0.0.1:9", pairs=["en-zh"])]
        with pytest.raises(services.TranslationUnavailable) as err:
            services.translate_texts(texts=["你好世界"], source="zh-Hans", target="en")
        assert (err.value.code, err.value.status) == ("translation_unavailable", 503)

    def test_unsupported_target(self, lt: Any) -> None:
        with pytest.raises(Exception) as err:
            services.translate_texts(texts=["你好"], source="zh", target="xx")
        assert getattr(err.value, "code", "") == "unsupported_language"

    def test_input_bounds(self, lt: Any, settings: Any) -> None:
        settings.TRANSLATION_MAX_CHARS = 100
        with pytest.raises(TooLarge) as err:
            services.translate_texts(texts=["你" * 101], source="zh", target="en")
        assert err.value.code == "translation_input_too_large"
        with pytest.raises(TooLarge):
            services.translate_texts(texts=["a"] * (services.MAX_TEXTS + 1), source="zh", target="en")

    def test_fallback_to_the_next_provider(self, serve: Any, settings: Any) -> None:
        broken = serve(lambda body: (500, b"{}"))
        good = serve(libretranslate_ok)
        settings.TRANSLATION_PROVIDERS = [
            provider("libretranslate", broken.url, id="broken"),
            provider("libretranslate", good.url, id="good"),
        ]
        settings.TRANSLATION_ROUTES = {"zh-en": ["broken", "good"]}
        (result,) = services.translate_texts(texts=["你好世界"], source="zh", target="en")
        assert result.provider == "good" and len(broken.requests) == 1

    def test_every_provider_failing_raises_the_last_error(self, serve: Any, settings: Any) -> None:
        slow = serve(hang(2))
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", slow.url, id="slow")]
        settings.TRANSLATION_TIMEOUT_SECONDS = 0.3
        with pytest.raises(ProviderError) as err:
            services.translate_texts(texts=["你好世界"], source="zh", target="en")
        assert err.value.code == "translation_timeout"
        assert not CachedTranslation.objects.exists()

    def test_hostile_markup_is_neutralised(self, serve: Any, settings: Any) -> None:
        def hostile(body: dict[str, Any]) -> tuple[int, bytes]:
            evil = (
                '<script>alert(1)</script>Hi <a href="javascript:alert(2)">click</a> '
                "<img src=x onerror=alert(3)> javascript:alert(4) #coffee"
            )
            return 200, json.dumps({"translatedText": [evil]}).encode()

        server = serve(hostile)
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="evil")]
        (result,) = services.translate_texts(
            texts=["你好世界，今天喝咖啡了吗？我们一起去吧"], source="zh", target="en"
        )
        assert "<script" not in result.html and "alert(1)" not in result.html
        assert (
            'href="javascript' not in result.html
            and "onerror" not in result.html
            and "<img" not in result.html
        )
        assert "<" not in result.text and "click" in result.text
        assert ">#coffee</a>" in result.html

    def test_answer_far_longer_than_the_text_is_refused(self, serve: Any, settings: Any) -> None:
        server = serve(lambda body: (200, json.dumps({"translatedText": ["x" * 20_000]}).encode()))
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="verbose")]
        with pytest.raises(ProviderError) as err:
            services.translate_texts(texts=["你好世界"], source="zh", target="en")
        assert err.value.code == "translation_too_large"

    def test_member_quota(self, lt: Any, settings: Any) -> None:
        settings.TRANSLATION_MEMBER_QUOTA_PER_HOUR = 2
        user = UserFactory()
        for i in range(2):
            services.translate_texts(texts=[f"你好世界 {i}"], source="zh", target="en", user=user)
        services.translate_texts(
            texts=["你好世界 0"], source="zh", target="en", user=user
        )  # cache hits are free
        with pytest.raises(RateLimited) as err:
            services.translate_texts(texts=["你好世界 9"], source="zh", target="en", user=user)
        assert err.value.code == "translation_quota" and "retry_after_seconds" in err.value.details
        services.translate_texts(texts=["你好世界 9"], source="zh", target="en", user=UserFactory())

    def test_instance_quota(self, lt: Any, settings: Any) -> None:
        settings.TRANSLATION_INSTANCE_QUOTA_PER_HOUR = 1
        services.translate_texts(texts=["你好世界"], source="zh", target="en", user=UserFactory())
        with pytest.raises(RateLimited):
            services.translate_texts(texts=["再见世界"], source="zh", target="en", user=UserFactory())

    def test_local_model_end_to_end(self, tiny_model_dir: Path, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = [
            {"id": "tiny", "kind": "ctranslate2", "path": str(tiny_model_dir), "pairs": ["zh-en", "en-zh"]}
        ]
        (result,) = services.translate_texts(texts=["今天我们去喝咖啡 #咖啡#"], source="zh-Hans", target="en")
        assert result.provider == "tiny" and "#咖啡#" in result.text
        assert services.translate_texts(texts=["今天我们去喝咖啡 #咖啡#"], source="zh-Hans", target="en")[
            0
        ].cached


class TestTranslateNote:
    def test_title_and_body_in_one_batch(self, lt: Any) -> None:
        note = zh_note()
        viewer = UserFactory()
        result = services.translate_note(viewer=viewer, note_id=note.pk, target="en")
        assert result.title == "[en] 周末咖啡"
        assert "[en] 今天的拿铁很好喝" in result.body_html and ">#咖啡</a>" in result.body_html
        assert (result.source_language, result.target_language, result.provider) == ("zh-Hans", "en", "lt")
        assert not result.cached and not result.not_needed
        assert len(lt.requests) == 1 and len(lt.requests[0]["q"]) == 2
        assert services.translate_note(viewer=viewer, note_id=note.pk, target="en").cached

    def test_same_language_is_not_needed(self, lt: Any) -> None:
        note = zh_note()
        result = services.translate_note(viewer=UserFactory(), note_id=note.pk, target="zh")
        assert result.not_needed and result.body_html == "<p>original</p>" and result.title == "周末咖啡"
        assert lt.requests == []

    def test_edit_changes_the_translation(self, lt: Any) -> None:
        author = UserFactory()
        note = zh_note(author=author)
        services.translate_note(viewer=author, note_id=note.pk, target="en")
        note_services.note_update(
            actor=author, note_id=note.pk, title="周末咖啡", body="改了：今天的美式一般般"
        )
        result = services.translate_note(viewer=author, note_id=note.pk, target="en")
        assert "美式" in result.body_html and not result.cached

    def test_authors_own_translation_wins(self, lt: Any) -> None:
        note = zh_note()
        NoteTranslation.objects.create(
            note=note, language="en", title="Weekend coffee", body="b", body_html="<p>b</p>"
        )
        result = services.translate_note(viewer=UserFactory(), note_id=note.pk, target="en")
        assert (result.title, result.provider) == ("Weekend coffee", "author")
        assert lt.requests == []

    def test_invisible_notes_are_not_found(self, lt: Any) -> None:
        author, stranger = UserFactory(), UserFactory()
        private = zh_note(author=author, visibility=Visibility.PRIVATE)
        draft = zh_note(author=author, draft=True)
        for note_id in (private.pk, draft.pk, 10**9, "abc"):
            with pytest.raises(NotFound):
                services.translate_note(viewer=stranger, note_id=note_id, target="en")
        blocked = zh_note(author=author)
        block_create(blocker=author, blocked=stranger)
        with pytest.raises(NotFound):
            services.translate_note(viewer=stranger, note_id=blocked.pk, target="en")
        assert lt.requests == []

    def test_hostile_provider_leaves_the_note_readable(self, serve: Any, settings: Any) -> None:
        server = serve(lambda body: (200, json.dumps({"translatedText": ["x" * 1_000_000] * 2}).encode()))
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="big")]
        note = zh_note()
        with pytest.raises(ProviderError) as err:
            services.translate_note(viewer=UserFactory(), note_id=note.pk, target="en")
        assert err.value.code == "translation_too_large"
        note.refresh_from_db()
        assert note.body == "今天的拿铁很好喝 #咖啡#"


class TestTranslateComment:
    def test_translates_a_visible_comment(self, lt: Any) -> None:
        note = NoteFactory()
        comment = engagement_services.comment_create(
            author=UserFactory(), note_id=note.pk, body="太好看了，求链接"
        )
        result = services.translate_comment(viewer=UserFactory(), comment_id=comment.pk, target="en")
        assert "[en] 太好看了，求链接" in result.body_html
        assert (result.source_language, result.provider) == ("zh-Hans", "lt")

    def test_comment_of_blocked_author_is_not_found(self, lt: Any) -> None:
        note, commenter, viewer = NoteFactory(), UserFactory(), UserFactory()
        comment = engagement_services.comment_create(
            author=commenter, note_id=note.pk, body="太好看了，求链接"
        )
        block_create(blocker=viewer, blocked=commenter)
        with pytest.raises(NotFound):
            services.translate_comment(viewer=viewer, comment_id=comment.pk, target="en")


def test_cache_prune(lt: Any) -> None:
    services.translate_texts(texts=["你好世界"], source="zh", target="en")
    assert services.translation_cache_prune(older_than_days=1) == 0
    CachedTranslation.objects.update(last_used_at="2000-01-01T00:00:00Z")
    assert services.translation_cache_prune(older_than_days=1) == 1
