"""Honest language tools: no Translate button that cannot work, dictionary glosses instead, providers
configured in the admin (merged with the environment), a status line, and authors' translations on cards."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from haven.core.text import render_rich_text
from haven.engagement.services import comment_create
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.translation import aids_services, selectors
from haven.translation.models import ProviderConfig
from haven.translation.provider_services import provider_config_save
from haven.translation.tests.conftest import libretranslate_ok, provider

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
ZH_TITLE = "周末咖啡"
ZH_BODY = "周末去喝咖啡，很好喝。#咖啡"


@pytest.fixture
def no_provider(settings: Any) -> None:
    settings.TRANSLATION_PROVIDERS = []


def _zh_note(**kw: Any) -> Any:
    return NoteFactory(
        language="zh-Hans", title=ZH_TITLE, body=ZH_BODY, body_html=render_rich_text(ZH_BODY), **kw
    )


def _reader(client: Client, **kw: Any) -> Any:
    user = UserFactory(interface_language="en", languages=["en"], **kw)
    client.force_login(user)
    return user


def _db_provider(url: str, **kw: Any) -> ProviderConfig:
    fields: dict[str, Any] = {
        "name": "lt-admin",
        "kind": "libretranslate",
        "endpoint_url": url,
        "pairs": "zh-en, en-zh",
        "trusted_local": True,
        **kw,
    }
    return provider_config_save(config=ProviderConfig(**fields))


def _page(client: Client, note: Any) -> str:
    return client.get(reverse("notes:detail", args=[note.pk])).content.decode()


# ------------------------------------------------------------------------------------------
# Without a provider: no machine-translation button anywhere, dictionary glosses instead


def test_no_translate_button_anywhere_without_a_provider(client: Client, no_provider: None) -> None:
    note = _zh_note()
    comment = comment_create(author=UserFactory(), note_id=note.pk, body="这家店在哪里？我也想去！")
    _reader(client)
    page = _page(client, note)
    assert "mode=translated" not in page and ">Translate<" not in page.replace("</svg>", ">")
    assert "Side by side" not in page  # nothing to put beside the original
    assert "Pinyin" in page  # the learner's aids stay
    assert "Word-by-word glosses" in page
    assert f"trc={comment.pk}.glosses" in page
    anonymous = Client().get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "mode=translated" not in anonymous and "Word-by-word glosses" in anonymous


def test_word_by_word_glosses_are_labelled_as_dictionary_glosses(client: Client, no_provider: None) -> None:
    note = _zh_note()
    _reader(client)
    resp = client.get(reverse("translation:note", args=[note.pk]), {"mode": "glosses"}, **HX)
    body = resp.content.decode()
    assert resp.status_code == 200 and 'data-mode="glosses"' in body
    assert "Word-by-word glosses (dictionary)" in body and "CC-CEDICT" in body
    assert "Translated by" not in body and "not a translation" in body
    assert re.search(r"咖啡.*kā ?fēi.*coffee", body, re.S)
    assert 'href="/feeds/' in body  # hashtags stay links
    no_js = client.get(reverse("notes:detail", args=[note.pk]), {"tr": "glosses"}).content.decode()
    assert "Word-by-word glosses (dictionary)" in no_js


def test_comment_glosses(client: Client, no_provider: None) -> None:
    note = _zh_note()
    comment = comment_create(author=UserFactory(), note_id=note.pk, body="我也想去喝咖啡")
    _reader(client)
    body = client.get(
        reverse("translation:comment", args=[comment.pk]), {"mode": "glosses"}, **HX
    ).content.decode()
    assert 'data-mode="glosses"' in body and "coffee" in body and "Word-by-word glosses" in body


def test_no_auto_translate_setting_without_a_provider(client: Client, no_provider: None) -> None:
    _reader(client)
    page = client.get(reverse("translation:preferences")).content.decode()
    assert "Translate automatically" not in page and "Show pinyin" in page


def test_side_by_side_without_a_provider_shows_labelled_glosses(client: Client, no_provider: None) -> None:
    note = _zh_note()
    _reader(client)
    page = client.get(reverse("translation:side_by_side", args=[note.pk])).content.decode()
    assert "Word-by-word glosses (dictionary)" in page and "coffee" in page
    assert "available for this language yet" not in page


def test_visitor_banner_promises_only_what_works(client: Client, no_provider: None) -> None:
    page = client.get("/").content.decode()
    assert "we help translate" not in page
    assert "pinyin" in page.lower()


# ------------------------------------------------------------------------------------------
# Providers configured in the admin, merged with the environment, picked up without a restart


def test_a_provider_added_in_the_database_is_used_without_restart(
    client: Client, no_provider: None, serve: Any
) -> None:
    note = _zh_note()
    _reader(client)
    assert "mode=translated" not in _page(client, note)
    server = serve(libretranslate_ok)
    row = _db_provider(server.url)
    page = _page(client, note)
    assert "mode=translated" in page and "Side by side" in page and "Word-by-word glosses" not in page
    body = client.get(
        reverse("translation:note", args=[note.pk]), {"mode": "translated"}, **HX
    ).content.decode()
    assert "Translated by lt-admin" in body and "[en]" in body
    api = client.get("/api/v1/translation/providers").json()
    assert (
        api["configured"]
        and {"id": "lt-admin", "kind": "libretranslate", "pairs": ["zh-en", "en-zh"]} in (api["providers"])
    )
    assert "127.0.0.1" not in str(api)
    row.enabled = False
    provider_config_save(config=row)
    assert "mode=translated" not in _page(client, note)
    assert not client.get("/api/v1/translation/providers").json()["configured"]


def test_environment_and_database_providers_are_merged(settings: Any, serve: Any) -> None:
    server = serve(libretranslate_ok)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="env-lt", pairs=["en-zh"])]
    _db_provider(server.url, pairs="zh-en", priority=5)
    _db_provider(server.url, name="later", pairs="zh-en", priority=50)
    assert [p.id for p in selectors.providers_info()] == ["env-lt", "lt-admin", "later"]
    assert selectors.can_translate("zh-Hans", "en") and selectors.can_translate("en", "zh-Hans")
    assert [p.providers for p in selectors.available_pairs() if p.source == "zh"] == [("lt-admin", "later")]


def test_private_content_goes_only_to_providers_allowed_for_it(
    client: Client, no_provider: None, serve: Any
) -> None:
    server = serve(libretranslate_ok)
    row = _db_provider(server.url)
    reader = _reader(client)
    note = _zh_note(visibility=Visibility.FOLLOWERS)
    from haven.graph.services import follow_create

    follow_create(follower=reader, followee=note.author)
    page = _page(client, note)
    assert "Word-by-word glosses" in page and "mode=translated" not in page
    resp = client.post(f"/api/v1/translation/notes/{note.pk}?target=en")
    assert resp.status_code == 503 and resp.json()["code"] == "translation_unavailable"
    assert not server.requests
    row.allowed_for_private_content = True
    provider_config_save(config=row)
    assert "mode=translated" in _page(client, note)
    assert client.post(f"/api/v1/translation/notes/{note.pk}?target=en").json()["provider"] == "lt-admin"


# ------------------------------------------------------------------------------------------
# The admin screen and its "Test this provider" button


def _staff(client: Client) -> Any:
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_admin_lists_and_edits_providers_without_showing_the_key(client: Client, serve: Any) -> None:
    server = serve(libretranslate_ok)
    row = _db_provider(server.url, api_key="sk-very-secret-key-12345")
    _reader(client)
    assert client.get(reverse("admin:translation_providerconfig_changelist")).status_code == 302
    _staff(client)
    listing = client.get(reverse("admin:translation_providerconfig_changelist")).content.decode()
    assert "lt-admin" in listing and "sk-very-secret-key-12345" not in listing
    change = client.get(reverse("admin:translation_providerconfig_change", args=[row.pk])).content.decode()
    assert "sk-very-secret-key-12345" not in change and "Test this provider" in change
    assert "2345" in change  # the last characters help the operator recognise the key


def test_admin_test_button_translates_through_the_real_provider(client: Client, serve: Any) -> None:
    server = serve(libretranslate_ok)
    row = _db_provider(server.url)
    _staff(client)
    url = reverse("admin:translation_providerconfig_test", args=[row.pk])
    resp = client.post(url, follow=True)
    body = resp.content.decode()
    assert resp.status_code == 200 and "Test passed" in body and "[en]" in body
    assert re.search(r"\d+ ms", body)
    assert server.requests and server.requests[0]["source"] == "zh"
    assert client.get(url).status_code == 405

    def broken(body: dict[str, Any]) -> tuple[int, bytes]:
        return 500, b"{}"

    row.endpoint_url = serve(broken).url
    provider_config_save(config=row)
    body = client.post(url, follow=True).content.decode()
    assert "Test failed" in body and "translation_failed" in body


def test_admin_test_reports_an_unreachable_private_address(client: Client, serve: Any) -> None:
    server = serve(libretranslate_ok)
    row = _db_provider(server.url, trusted_local=False)
    _staff(client)
    body = client.post(
        reverse("admin:translation_providerconfig_test", args=[row.pk]), follow=True
    ).content.decode()
    assert "Test failed" in body and "translation_failed" in body and not server.requests


def test_provider_config_is_validated(client: Client) -> None:
    _staff(client)
    resp = client.post(
        reverse("admin:translation_providerconfig_add"),
        {
            "name": "bad name!",
            "kind": "libretranslate",
            "endpoint_url": "",
            "pairs": "zh-en, nonsense",
            "priority": 100,
            "version": "1",
            "codes": "{}",
        },
    )
    assert resp.status_code == 200 and not ProviderConfig.objects.exists()
    body = resp.content.decode()
    assert "errorlist" in body


# ------------------------------------------------------------------------------------------
# The one-line status for ./haven.sh run


def _status() -> str:
    out = io.StringIO()
    call_command("translation_status", stdout=out)
    return out.getvalue()


def test_status_line_without_and_with_a_provider(no_provider: None, serve: Any) -> None:
    line = _status()
    assert line.count("\n") == 1 and "docs/translation.md" in line and "not configured" in line
    _db_provider(serve(libretranslate_ok).url)
    line = _status()
    assert line.count("\n") == 1 and "zh→en" in line and "en→zh" in line and "lt-admin" in line


# ------------------------------------------------------------------------------------------
# Authors' own translations on feed cards


def test_feed_cards_show_the_authors_translated_title(client: Client, no_provider: None) -> None:
    note = _zh_note()
    aids_services.note_translation_save(
        author=note.author, note_id=note.pk, language="en", title="Weekend coffee", body="Coffee."
    )
    _reader(client)
    page = client.get("/?feed=latest").content.decode()
    assert "Weekend coffee" in page and 'lang="en"' in page
    client.force_login(UserFactory(interface_language="zh-hans", languages=["zh"]))
    page = client.get("/?feed=latest").content.decode()
    assert ZH_TITLE in page and "Weekend coffee" not in page


def test_admin_test_button_with_a_local_ctranslate2_model(client: Client, tiny_model_dir: Any) -> None:
    row = provider_config_save(
        config=ProviderConfig(name="tiny", kind="ctranslate2", model_path=str(tiny_model_dir), pairs="zh-en")
    )
    _staff(client)
    body = client.post(
        reverse("admin:translation_providerconfig_test", args=[row.pk]), follow=True
    ).content.decode()
    assert "Test passed" in body  # a random-weight model: the output is noise, the path is real
    missing = provider_config_save(
        config=ProviderConfig(name="gone", kind="ctranslate2", model_path="/nonexistent/model", pairs="zh-en")
    )
    body = client.post(
        reverse("admin:translation_providerconfig_test", args=[missing.pk]), follow=True
    ).content.decode()
    assert "Test failed" in body and "translation_failed" in body


def test_a_misconfigured_row_never_breaks_pages(client: Client, no_provider: None) -> None:
    ProviderConfig.objects.create(name="broken", kind="libretranslate", endpoint_url="", pairs="zh-en")
    from haven.translation import providers

    providers.invalidate()
    note = _zh_note()
    _reader(client)
    assert client.get(reverse("notes:detail", args=[note.pk])).status_code == 200
