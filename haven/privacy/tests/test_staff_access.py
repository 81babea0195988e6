"""Staff access audit: a reason before the admin shows a member's non-public data, one entry per view,
and the member sees their own entries (role, what, reason, time; never who)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from haven.accounts.models import LoginEvent
from haven.accounts.tests.factories import UserFactory
from haven.core import staff_audit
from haven.core.errors import InvalidInput
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory
from haven.privacy.models import StaffAccess

pytestmark = pytest.mark.django_db

REASON = "Support ticket 4711: member cannot log in"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _operator() -> Any:
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _open_with_reason(client: Client, url: str, reason: str = REASON) -> Any:
    first = client.get(url)
    assert first.status_code == 200 and "Why do you need to see this?" in first.content.decode()
    given = client.post(url, {staff_audit.REASON_FIELD: reason})
    assert given.status_code == 302 and given["Location"] == url
    return client.get(url)


class TestAdminAudit:
    def test_user_change_view_asks_for_a_reason_first(self) -> None:
        member = UserFactory(email="secret-address@example.com")
        client = _client(_operator())
        url = f"/admin/accounts/user/{member.pk}/change/"
        first = client.get(url)
        assert first.status_code == 200
        assert "secret-address@example.com" not in first.content.decode()
        assert not StaffAccess.objects.exists()
        too_short = client.post(url, {staff_audit.REASON_FIELD: " a "})
        assert too_short.status_code == 400 and not StaffAccess.objects.exists()
        too_long = client.post(url, {staff_audit.REASON_FIELD: "x" * 301})
        assert too_long.status_code == 400
        page = _open_with_reason(client, url)
        assert page.status_code == 200 and "secret-address@example.com" in page.content.decode()
        entry = StaffAccess.objects.get()
        assert (entry.member_id, entry.what, entry.role, entry.reason) == (
            member.pk,
            "email",
            "operator",
            REASON,
        )
        assert entry.object_ref == f"accounts.user:{member.pk}" and entry.path == url
        client.get(url)  # the reason is remembered; every view is recorded
        assert StaffAccess.objects.filter(member=member).count() == 2

    def test_the_user_list_shows_no_email(self) -> None:
        UserFactory(email="listed@example.com")
        page = _client(_operator()).get("/admin/accounts/user/")
        assert page.status_code == 200 and "listed@example.com" not in page.content.decode()

    def test_reason_is_forgotten_after_30_minutes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        member = UserFactory()
        client = _client(_operator())
        url = f"/admin/accounts/user/{member.pk}/change/"
        _open_with_reason(client, url)
        real = staff_audit.time.time
        monkeypatch.setattr(staff_audit.time, "time", lambda: real() + staff_audit.REASON_TTL_SECONDS + 5)
        assert "Why do you need to see this?" in client.get(url).content.decode()
        assert StaffAccess.objects.count() == 1

    def test_moderator_role(self) -> None:
        moderator = UserFactory(is_staff=True)
        moderator.groups.add(Group.objects.create(name="moderators"))
        moderator.user_permissions.add(Permission.objects.get(codename="view_user"))
        member = UserFactory()
        _open_with_reason(_client(moderator), f"/admin/accounts/user/{member.pk}/change/")
        assert StaffAccess.objects.get().role == "moderator"
        staff = UserFactory(is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_user"))
        _open_with_reason(_client(staff), f"/admin/accounts/user/{member.pk}/change/")
        assert StaffAccess.objects.filter(staff=staff).get().role == "staff"

    def test_own_account_is_not_audited(self) -> None:
        operator = _operator()
        page = _client(operator).get(f"/admin/accounts/user/{operator.pk}/change/")
        assert page.status_code == 200 and "Why do you need to see this?" not in page.content.decode()
        assert not StaffAccess.objects.exists()

    def test_staff_without_permission_get_no_form(self) -> None:
        member = UserFactory()
        response = _client(UserFactory(is_staff=True)).get(f"/admin/accounts/user/{member.pk}/change/")
        assert response.status_code in (302, 403)
        assert not StaffAccess.objects.exists()

    def test_non_public_note_is_audited_public_note_is_not(self) -> None:
        client = _client(_operator())
        public = NoteFactory()
        assert "Why do you need" not in client.get(f"/admin/notes/note/{public.pk}/change/").content.decode()
        private = NoteFactory(visibility=Visibility.PRIVATE, title="My secret diary")
        listing = client.get("/admin/notes/note/").content.decode()
        assert "My secret diary" not in listing
        page = _open_with_reason(
            client, f"/admin/notes/note/{private.pk}/change/", "Report 12 about this note"
        )
        assert "My secret diary" in page.content.decode()
        entry = StaffAccess.objects.get()
        assert (entry.member_id, entry.what) == (private.author_id, "private_note")

    def test_login_history_is_audited(self) -> None:
        member = UserFactory()
        event = LoginEvent.objects.create(
            user=member, at=timezone.now(), outcome="success", method="password", ip_address="192.0.2.7"
        )
        client = _client(_operator())
        assert "192.0.2.7" not in client.get("/admin/accounts/loginevent/").content.decode()
        page = _open_with_reason(client, f"/admin/accounts/loginevent/{event.pk}/change/")
        assert "192.0.2.7" in page.content.decode()
        assert StaffAccess.objects.get().what == "login_history"

    def test_recording_needs_a_reason(self) -> None:
        with pytest.raises(InvalidInput):
            staff_audit.record_staff_access(staff=_operator(), member_id=None, what="email", reason="  ")

    def test_log_is_append_only_and_for_operators(self) -> None:
        member = UserFactory()
        staff_audit.record_staff_access(staff=_operator(), member_id=member.pk, what="email", reason=REASON)
        entry = StaffAccess.objects.get()
        operator_client = _client(UserFactory(is_staff=True, is_superuser=True))
        assert operator_client.get("/admin/privacy/staffaccess/").status_code == 200
        assert operator_client.get(f"/admin/privacy/staffaccess/{entry.pk}/change/").status_code == 200
        assert operator_client.get(f"/admin/privacy/staffaccess/{entry.pk}/delete/").status_code == 403
        assert operator_client.get("/admin/privacy/staffaccess/add/").status_code == 403
        operator_client.post(f"/admin/privacy/staffaccess/{entry.pk}/change/", {"reason": "changed"})
        entry.refresh_from_db()
        assert entry.reason == REASON
        staff = UserFactory(is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_staffaccess"))
        assert _client(staff).get("/admin/privacy/staffaccess/").status_code == 403


class TestMemberView:
    def _world(self) -> tuple[Any, Any]:
        member, other = UserFactory(), UserFactory()
        operator = _operator()
        for n in range(3):
            staff_audit.record_staff_access(
                staff=operator, member_id=member.pk, what="email", reason=f"Ticket {n} for member"
            )
        staff_audit.record_staff_access(
            staff=operator, member_id=other.pk, what="private_note", reason="Other's ticket"
        )
        return member, other

    def test_member_sees_their_entries_not_others_and_not_who(self) -> None:
        member, other = self._world()
        page = _client(member).get("/settings/privacy/staff-access/").content.decode()
        assert "Ticket 2 for member" in page and "Operator" in page and "E-mail address" in page
        assert "Other&#x27;s ticket" not in page and "Other's ticket" not in page
        assert "root" not in page
        theirs = _client(other).get("/settings/privacy/staff-access/").content.decode()
        assert "Ticket 0 for member" not in theirs and "Other&#x27;s ticket" in theirs

    def test_api_is_paginated_and_private(self) -> None:
        member, _other = self._world()
        client = _client(member)
        first = client.get("/api/v1/privacy/staff-access?limit=2").json()
        assert [i["reason"] for i in first["items"]] == ["Ticket 2 for member", "Ticket 1 for member"]
        assert set(first["items"][0]) == {"id", "role", "what", "what_label", "reason", "at"}
        second = client.get(f"/api/v1/privacy/staff-access?limit=2&cursor={first['next_cursor']}").json()
        assert [i["reason"] for i in second["items"]] == ["Ticket 0 for member"] and second[
            "next_cursor"
        ] is None
        assert client.get("/api/v1/privacy/staff-access?cursor=garbage").status_code == 400
        assert Client().get("/api/v1/privacy/staff-access").status_code == 401
