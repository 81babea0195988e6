"""Policies (acceptance at sign-up, re-ask after a new version, API), consents and where they are checked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts import services as account_services
from haven.accounts.tests.factories import UserFactory
from haven.core import consent as core_consent
from haven.feeds import selectors as feed_selectors
from haven.notes.models import Note
from haven.notes.tests.factories import NoteFactory
from haven.privacy import consent
from haven.privacy.consent import render_policy
from haven.privacy.models import ConsentChoice, ConsentEvent, PolicyAcceptance, PolicyDocument
from haven.translation import services as translation
from haven.translation.services import TranslationUnavailable
from haven.translation.tests.conftest import FakeServer, libretranslate_ok, provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _gate_on(settings: Any) -> None:
    settings.PRIVACY_POLICY_GATE = True


def _signup(username: str = "newbie") -> Any:
    return account_services.user_signup(
        username=username, email=f"{username}@example.com", password="a long and unusual passphrase 42"
    )


def _publish_v2(kind: str = "terms") -> PolicyDocument:
    draft = consent.policy_new_draft(kind=kind)
    draft.changes_en = "We explain moderation better."
    draft.changes_zh = "更好地说明审核。"
    draft.save()
    return consent.policy_publish(document_id=draft.pk)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------
# Policies


class TestPolicies:
    def test_version_one_of_each_ships_published_in_both_languages(self) -> None:
        docs = {d.kind: d for d in PolicyDocument.objects.filter(version=1)}
        assert set(docs) == {"terms", "privacy"}
        for doc in docs.values():
            assert doc.published_at is not None
            assert len(doc.body_en) > 1000 and len(doc.body_zh) > 500
        assert "export" in docs["privacy"].body_en.lower() and "导出" in docs["privacy"].body_zh
        assert consent.current_versions() == {"terms": 1, "privacy": 1}

    def test_signup_records_acceptance_of_current_versions(self) -> None:
        user = _signup()
        rows = set(PolicyAcceptance.objects.filter(user=user).values_list("kind", "version"))
        assert rows == {("terms", 1), ("privacy", 1)}
        assert consent.pending_policies(user.pk) == []

    def test_signup_page_links_terms_and_privacy(self) -> None:
        body = Client().get("/accounts/signup/").content.decode()
        assert 'href="/terms/"' in body and 'href="/privacy/"' in body

    def test_pages_show_current_version_in_reader_language_with_history(self) -> None:
        _publish_v2()
        english = Client().get("/terms/")
        assert english.status_code == 200
        assert "Terms of service" in english.content.decode() and "Version 2" in english.content.decode()
        assert "?version=1" in english.content.decode()
        chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-Hans").get("/privacy/").content.decode()
        assert "隐私政策" in chinese and "我们保存什么" in chinese
        old = Client().get("/terms/?version=1").content.decode()
        assert "This is an earlier version." in old
        assert Client().get("/terms/?version=99").status_code == 404
        assert Client().get("/terms/?version=abc").status_code == 404

    def test_drafts_are_not_shown_and_not_asked(self) -> None:
        user = _signup()
        draft = consent.policy_new_draft(kind="terms")
        assert draft.version == 2 and draft.published_at is None
        assert consent.policy_new_draft(kind="terms").pk == draft.pk  # one draft at a time
        assert consent.pending_policies(user.pk) == []
        assert Client().get("/terms/?version=2").status_code == 404
        assert _client(user).get("/").status_code == 200

    def test_publish_refuses_twice_and_older_versions(self) -> None:
        texts = {"title_en": "T", "title_zh": "条", "body_en": "Body", "body_zh": "正文"}
        lower = PolicyDocument.objects.create(kind="terms", version=2, **texts)
        higher = PolicyDocument.objects.create(kind="terms", version=3, **texts)
        consent.policy_publish(document_id=higher.pk)
        with pytest.raises(Exception) as twice:
            consent.policy_publish(document_id=higher.pk)
        assert getattr(twice.value, "code", "") == "policy_already_published"
        with pytest.raises(Exception) as older:
            consent.policy_publish(document_id=lower.pk)
        assert getattr(older.value, "code", "") == "policy_version_not_newer"
        empty = PolicyDocument.objects.create(kind="terms", version=4, title_en="T", body_en="B")
        with pytest.raises(Exception) as incomplete:
            consent.policy_publish(document_id=empty.pk)
        assert getattr(incomplete.value, "code", "") == "policy_incomplete"
        assert consent.current_versions()["terms"] == 3

    def test_new_version_re_asks_in_html(self) -> None:
        user = _signup()
        client = _client(user)
        assert client.get("/").status_code == 200
        _publish_v2()
        response = client.get("/feeds/following/")
        assert response.status_code == 302
        assert response["Location"].startswith("/policies/updated/?next=")
        # Never in the way of: the API, the policy pages, the privacy center, logging out.
        assert client.get("/api/v1/privacy/policies").status_code == 200
        assert client.get("/terms/").status_code == 200
        assert client.get("/settings/privacy/consents/").status_code == 200
        page = client.get(response["Location"])
        assert page.status_code == 200 and "We explain moderation better." in page.content.decode()
        accepted = client.post(
            "/policies/updated/", {"terms_version": "2", "privacy_version": "1", "next": "/feeds/following/"}
        )
        assert accepted.status_code == 302 and accepted["Location"] == "/feeds/following/"
        assert PolicyAcceptance.objects.filter(user=user, kind="terms", version=2).exists()
        assert client.get("/feeds/following/").status_code == 200

    def test_stale_version_on_the_re_ask_page(self) -> None:
        user = _signup()
        _publish_v2()
        response = _client(user).post("/policies/updated/", {"terms_version": "1", "next": "/"})
        assert response.status_code == 409
        assert consent.pending_policies(user.pk) == ["terms"]

    def test_next_must_be_local(self) -> None:
        user = UserFactory()
        response = _client(user).post(
            "/policies/updated/",
            {"terms_version": "1", "privacy_version": "1", "next": "https://evil.example/"},
        )
        assert response.status_code == 302 and response["Location"] == "/"

    def test_members_without_any_acceptance_are_asked_once(self) -> None:
        user = UserFactory()  # like createsuperuser or the members made before policies existed
        client = _client(user)
        assert client.get("/").status_code == 302
        page = client.get("/policies/updated/?next=/")
        assert "Please review our terms" in page.content.decode()
        client.post("/policies/updated/", {"terms_version": "1", "privacy_version": "1", "next": "/"})
        assert client.get("/").status_code == 200

    def test_gate_costs_no_query_once_cached(self, settings: Any) -> None:
        user = _signup()
        client = _client(user)
        client.get("/feeds/following/")  # warm the caches

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/feeds/following/").status_code == 200
            return len(ctx.captured_queries)

        with_gate = count()
        settings.PRIVACY_POLICY_GATE = False
        assert count() == with_gate

    def test_api_policies_accept_and_stale_version(self) -> None:
        user = _signup()
        client = _client(user)
        _publish_v2()
        body = client.get("/api/v1/privacy/policies").json()
        assert body["all_accepted"] is False
        terms = next(i for i in body["items"] if i["kind"] == "terms")
        assert (terms["version"], terms["accepted"], terms["accepted_version"]) == (2, False, 1)
        stale = client.post(
            "/api/v1/privacy/policies/accept",
            {"kind": "terms", "version": 1},
            content_type="application/json",
        )
        assert stale.status_code == 409
        assert stale.json()["code"] == "policy_version_stale"
        assert stale.json()["details"]["current_version"] == 2
        future = client.post(
            "/api/v1/privacy/policies/accept",
            {"kind": "terms", "version": 3},
            content_type="application/json",
        )
        assert future.status_code == 404
        ok = client.post(
            "/api/v1/privacy/policies/accept",
            {"kind": "terms", "version": 2},
            content_type="application/json",
        )
        assert ok.status_code == 204
        assert client.get("/api/v1/privacy/policies").json()["all_accepted"] is True
        assert client.get("/").status_code == 200

    def test_api_needs_a_member(self) -> None:
        assert Client().get("/api/v1/privacy/policies").status_code == 401

    def test_rendering_goes_through_sanitize(self) -> None:
        html = render_policy(
            "# Title\n\nHello **you** <script>alert(1)</script> [site](https://example.com) "
            "[bad](javascript:alert(1))\n\n- one\n- two"
        )
        assert "<h2>Title</h2>" in html and "<strong>you</strong>" in html
        assert "<script>" not in html and "javascript:" not in html.replace("[bad](javascript", "")
        assert 'href="https://example.com"' in html and "<ul><li>one</li><li>two</li></ul>" in html

    def test_admin_publish_action_and_read_only_published(self) -> None:
        admin_user = UserFactory(is_staff=True, is_superuser=True)
        PolicyAcceptance.objects.create(user=admin_user, kind="terms", version=1)
        PolicyAcceptance.objects.create(user=admin_user, kind="privacy", version=1)
        client = _client(admin_user)
        draft = consent.policy_new_draft(kind="privacy")
        response = client.post(
            "/admin/privacy/policydocument/",
            {"action": "publish", "_selected_action": [str(draft.pk)]},
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.published_at is not None
        assert consent.current_versions()["privacy"] == 2
        published = PolicyDocument.objects.get(kind="terms", version=1)
        page = client.get(f"/admin/privacy/policydocument/{published.pk}/change/")
        assert page.status_code == 200
        assert 'name="body_en"' not in page.content.decode()  # read-only
        assert client.get(f"/admin/privacy/policydocument/{published.pk}/delete/").status_code == 403


# ---------------------------------------------------------------------------------------------
# Consents


class TestConsents:
    def test_defaults_then_set_and_history(self) -> None:
        user = UserFactory()
        assert core_consent.consent_granted(user.pk, core_consent.EXTERNAL_TRANSLATION) is True
        assert core_consent.consent_granted(user.pk, core_consent.MARKETING_EMAIL) is False
        consent.consent_set(user=user, purpose="external_translation", granted=False)
        assert core_consent.consent_granted(user.pk, core_consent.EXTERNAL_TRANSLATION) is False
        consent.consent_set(user=user, purpose="external_translation", granted=False)  # no change
        consent.consent_set(user=user, purpose="external_translation", granted=True)
        assert core_consent.consent_granted(user.pk, core_consent.EXTERNAL_TRANSLATION) is True
        events = list(ConsentEvent.objects.filter(user=user).order_by("pk").values_list("granted", flat=True))
        assert events == [False, True]
        assert ConsentChoice.objects.filter(user=user).count() == 1

    def test_refused_among(self) -> None:
        a, b, c = UserFactory(), UserFactory(), UserFactory()
        consent.consent_set(user=a, purpose="personalised_recommendations", granted=False)
        consent.consent_set(user=c, purpose="marketing_email", granted=True)
        assert core_consent.refused_among([a.pk, b.pk], "personalised_recommendations") == {a.pk}
        assert core_consent.refused_among([a.pk, c.pk], "marketing_email") == {a.pk}

    def test_unknown_purpose(self) -> None:
        with pytest.raises(Exception) as exc:
            consent.consent_set(user=UserFactory(), purpose="selling_data", granted=True)
        assert getattr(exc.value, "code", "") == "unknown_purpose"

    def test_api_get_put(self) -> None:
        user = UserFactory()
        client = _client(user)
        items = client.get("/api/v1/privacy/consents").json()["items"]
        assert [(i["purpose"], i["granted"], i["is_default"]) for i in items] == [
            ("personalised_recommendations", True, True),
            ("external_translation", True, True),
            ("marketing_email", False, True),
        ]
        response = client.put(
            "/api/v1/privacy/consents",
            {"items": [{"purpose": "marketing_email", "granted": True}]},
            content_type="application/json",
        )
        assert response.status_code == 200
        marketing = next(i for i in response.json()["items"] if i["purpose"] == "marketing_email")
        assert marketing["granted"] is True and marketing["is_default"] is False
        bad = client.put(
            "/api/v1/privacy/consents",
            {"items": [{"purpose": "selling_data", "granted": True}]},
            content_type="application/json",
        )
        assert bad.status_code == 422

    def test_html_toggle_with_htmx(self) -> None:
        user = UserFactory()
        PolicyAcceptance.objects.create(user=user, kind="terms", version=1)
        PolicyAcceptance.objects.create(user=user, kind="privacy", version=1)
        client = _client(user)
        page = client.get("/settings/privacy/consents/")
        assert page.status_code == 200 and "Personalised recommendations" in page.content.decode()
        row = client.post(
            "/settings/privacy/consents/personalised_recommendations/",
            {"granted": "0"},
            HTTP_HX_REQUEST="true",
        )
        assert row.status_code == 200 and "Turned off just now." in row.content.decode()
        assert core_consent.consent_granted(user.pk, "personalised_recommendations") is False
        plain = client.post(
            "/settings/privacy/consents/personalised_recommendations/", {"granted": ["0", "1"]}
        )
        assert plain.status_code == 302
        assert core_consent.consent_granted(user.pk, "personalised_recommendations") is True
        assert client.post("/settings/privacy/consents/nope/", {"granted": "1"}).status_code == 302

    def test_discover_ignores_personal_signals_when_refused(self) -> None:
        """A zh reader: the Chinese note wins only through the language boost, which a refusal removes."""
        viewer = UserFactory(languages=["zh"])
        now = timezone.now() - timedelta(hours=1)
        chinese = NoteFactory(language="zh", published_at=now)
        english = NoteFactory(language="en", published_at=now)
        Note.objects.filter(pk=chinese.pk).update(like_count=2)  # 3 x 1.5 = 4.5 with the boost, else 3
        Note.objects.filter(pk=english.pk).update(like_count=3)  # 4

        def order() -> list[int]:
            page = feed_selectors.discover_feed(viewer, limit=10, record_seen=False)
            return [n.pk for n in page.items]

        assert order() == [chinese.pk, english.pk]
        consent.consent_set(user=viewer, purpose="personalised_recommendations", granted=False)
        assert order() == [english.pk, chinese.pk]
        feed_selectors.discover_feed(viewer, limit=10)  # served notes are not recorded as seen
        from haven.feeds.models import SeenNote

        assert not SeenNote.objects.filter(user=viewer).exists()


class TestTranslationConsent:
    """The author's external_translation consent is checked before their text goes to an outside provider."""

    def _note(self) -> Note:
        return NoteFactory(
            title="周末咖啡", body="今天的拿铁很好喝", body_html="<p>x</p>", language="zh-Hans"
        )

    def test_external_provider_not_used_when_author_refused(self, settings: Any) -> None:
        # Not trusted_local: an outside service (never reached here: the address is refused anyway).
        settings.TRANSLATION_PROVIDERS = [
            provider("libretranslate", "http://127.0.0.1:9", id="outside", trusted_local=False)
        ]
        settings.TRANSLATION_ROUTES = {}
        note = self._note()
        reader = UserFactory()
        consent.consent_set(user=note.author, purpose="external_translation", granted=False)
        with pytest.raises(TranslationUnavailable) as exc:
            translation.translate_note(viewer=reader, note_id=note.pk, target="en")
        assert exc.value.code == "translation_not_allowed_by_author"
        assert exc.value.status == 503
        consent.consent_set(user=note.author, purpose="external_translation", granted=True)
        with pytest.raises(Exception) as allowed:
            translation.translate_note(viewer=reader, note_id=note.pk, target="en")
        assert getattr(allowed.value, "code", "") != "translation_not_allowed_by_author"  # it was tried

    def test_a_provider_on_this_server_is_still_used(self, settings: Any) -> None:
        server = FakeServer(libretranslate_ok)
        try:
            settings.TRANSLATION_PROVIDERS = [
                provider("libretranslate", server.url, id="lt")
            ]  # trusted_local
            settings.TRANSLATION_ROUTES = {}
            note = self._note()
            consent.consent_set(user=note.author, purpose="external_translation", granted=False)
            result = translation.translate_note(viewer=UserFactory(), note_id=note.pk, target="en")
            assert result.title == "[en] 周末咖啡" and len(server.requests) == 1
        finally:
            server.close()

    def test_reader_sees_not_available(self, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = [
            provider("libretranslate", "http://127.0.0.1:9", id="outside", trusted_local=False)
        ]
        settings.TRANSLATION_ROUTES = {}
        note = self._note()
        consent.consent_set(user=note.author, purpose="external_translation", granted=False)
        reader = UserFactory()
        response = _client(reader).post(f"/api/v1/translation/notes/{note.pk}?target=en")
        assert response.status_code == 503
        assert response.json()["code"] == "translation_not_allowed_by_author"
