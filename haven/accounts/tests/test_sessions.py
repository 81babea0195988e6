"""Tracked sessions: listed per member, revoked for real, ended everywhere, kept on password change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts import sessions
from haven.accounts.models import ApiToken, User, UserSession
from haven.accounts.personal_data import erase_user_sessions
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, bearer, token_for

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
SETTINGS_URL = "/accounts/settings/"


def _browser(user: User, agent: str = FIREFOX, ip: str = "198.51.100.7") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def _row_id(client: Client) -> int:
    return int(client.session[sessions.SESSION_MARK][0])


def _signed_in(client: Client) -> bool:
    return client.get(SETTINGS_URL).status_code == 200


def _api(client: Client, method: str, path: str, **kwargs: Any) -> Any:
    csrf = client.get("/api/v1/accounts/csrf").json()["csrf_token"]
    return getattr(client, method)(f"/api/v1/accounts{path}", HTTP_X_CSRFTOKEN=csrf, **kwargs)


def test_login_records_a_session_with_device_and_address() -> None:
    user = UserFactory()
    _browser(user)
    row = UserSession.objects.get(user=user)
    assert row.label == "Firefox on Android"
    assert row.ip_address == "198.51.100.7"
    assert row.user_agent == FIREFOX
    # The session key is never stored in the clear.
    key = Session.objects.get().session_key
    assert key not in row.key_sealed and row.key_hash == sessions.key_hash(key)


def test_forced_login_is_tracked_on_first_request_and_later_requests_cost_no_query() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert _signed_in(client)
    assert UserSession.objects.filter(user=user).count() == 1
    with CaptureQueriesContext(connection) as ctx:
        assert _signed_in(client)
    assert not [q for q in ctx.captured_queries if "accounts_usersession" in q["sql"]]


def test_touch_is_throttled_and_updates_last_seen() -> None:
    user = UserFactory()
    client = _browser(user)
    old = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(user=user).update(last_seen_at=old)
    assert _signed_in(client)
    assert UserSession.objects.get(user=user).last_seen_at == old  # not due yet (touched at login)
    session = client.session
    mark = session[sessions.SESSION_MARK]
    session[sessions.SESSION_MARK] = [mark[0], mark[1], mark[2] - 6 * 60]
    session.save()
    assert _signed_in(client)
    assert UserSession.objects.get(user=user).last_seen_at > old


def test_revoked_session_stops_working_on_its_next_request() -> None:
    user = UserFactory()
    phone, laptop = (
        _browser(user),
        _browser(user, agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605"),
    )
    assert _signed_in(phone) and _signed_in(laptop)
    listed = _api(laptop, "get", "/sessions").json()["items"]
    assert len(listed) == 2
    current = [s for s in listed if s["current"]]
    assert len(current) == 1 and current[0]["label"] == "Safari on macOS"
    other = next(s for s in listed if not s["current"])
    response = laptop.post("/accounts/settings/security/sessions/revoke/", {"session_id": other["id"]})
    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    assert UserSession.objects.filter(user=user).count() == 1


def test_revoke_by_htmx_returns_an_empty_fragment_and_someone_elses_session_is_not_found() -> None:
    user, stranger = UserFactory(), UserFactory()
    a, b = _browser(user), _browser(user)
    theirs = _browser(stranger)
    their_row = UserSession.objects.get(user=stranger)
    response = _api(a, "delete", f"/sessions/{their_row.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert _signed_in(theirs)
    row = UserSession.objects.filter(user=user).exclude(pk=_row_id(a)).get()
    response = a.post(
        "/accounts/settings/security/sessions/revoke/", {"session_id": row.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content == b""
    assert not _signed_in(b)


def test_backstop_a_session_whose_row_is_gone_is_logged_out_at_its_next_touch() -> None:
    user = UserFactory()
    client = _browser(user)
    UserSession.objects.filter(user=user).delete()  # e.g. the sealed key could not be opened
    session = client.session
    mark = session[sessions.SESSION_MARK]
    session[sessions.SESSION_MARK] = [mark[0], mark[1], mark[2] - 6 * 60]
    session.save()
    assert not _signed_in(client)


def test_log_out_everywhere_ends_every_session_and_token() -> None:
    user = UserFactory()
    a, b = _browser(user), _browser(user)
    _token, raw = token_for(user)
    assert Client().get("/api/v1/accounts/me", **bearer(raw)).status_code == 200
    response = a.post("/accounts/settings/security/end-all/")
    assert response.status_code == 302
    assert not _signed_in(a) and not _signed_in(b)
    assert Client().get("/api/v1/accounts/me", **bearer(raw)).status_code == 401
    assert not UserSession.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_log_out_everywhere_through_the_api() -> None:
    user = UserFactory()
    a, b = _browser(user), _browser(user)
    token_for(user)
    response = _api(a, "post", "/logout-everywhere")
    assert response.status_code == 200
    assert response.json() == {"sessions_ended": 2, "tokens_revoked": 1}
    assert not _signed_in(a) and not _signed_in(b)


def test_password_change_keeps_only_the_current_session() -> None:
    user = UserFactory()
    here, elsewhere = _browser(user), _browser(user)
    response = here.post(
        "/accounts/settings/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password": "a new long passphrase",
            "new_password2": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    rows = list(UserSession.objects.filter(user=user))
    assert len(rows) == 1
    # The row followed the cycled session key, so revoking it from elsewhere still works.
    assert rows[0].key_hash == sessions.key_hash(here.session.session_key)
    third = Client()
    third.post("/accounts/login/", {"login": user.username, "password": "a new long passphrase"})
    third.post("/accounts/settings/security/sessions/revoke/", {"session_id": rows[0].pk})
    assert not _signed_in(here)


def test_password_change_through_the_api_keeps_the_current_session() -> None:
    user = UserFactory()
    here, elsewhere = _browser(user), _browser(user)
    response = _api(
        here,
        "post",
        "/me/password",
        data={"old_password": DEFAULT_PASSWORD, "new_password": "a new long passphrase"},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert _signed_in(here) and not _signed_in(elsewhere)


def test_logout_drops_the_tracking_row() -> None:
    user = UserFactory()
    client = _browser(user)
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=user).exists()


def test_sessions_end_all_keeps_the_given_session_and_counts() -> None:
    user = UserFactory()
    keep = _browser(user)
    _browser(user)
    _browser(user)
    assert sessions.sessions_end_all(user=user, keep_session_key=keep.session.session_key) == 2
    assert _signed_in(keep)


def test_session_eraser_finds_untracked_sessions_by_scan() -> None:
    user, other = UserFactory(), UserFactory()
    tracked = _browser(user)
    untracked = Client()
    untracked.force_login(user)  # never made a request: no tracking row
    bystander = _browser(other)
    from haven.accounts.sessions import sessions_erase

    assert sessions_erase(user) == 2
    assert not _signed_in(tracked) and not _signed_in(untracked)
    assert _signed_in(bystander)
    assert erase_user_sessions(user) == 0


def test_prune_stale_sessions() -> None:
    user = UserFactory()
    stale, fresh = _browser(user), _browser(user)
    stale_id = _row_id(stale)
    UserSession.objects.filter(pk=stale_id).update(last_seen_at=timezone.now() - timedelta(days=400))
    assert sessions.user_sessions_prune_stale() == 1
    assert not _signed_in(stale) and _signed_in(fresh)


def test_security_page_lists_sessions_tokens_and_history() -> None:
    user = UserFactory()
    client = _browser(user)
    token_for(user, name="backup script")
    page = client.get("/accounts/settings/security/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Firefox on Android" in html and "backup script" in html and "This device" in html
    assert "Signed in" in html  # the login history


def test_device_labels() -> None:
    assert sessions.device_label("curl/8.5.0") == "curl"
    assert sessions.device_label("") == ""
    assert (
        sessions.device_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit Safari/604.1")
        == "Safari on iPhone"
    )
