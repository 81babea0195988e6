"""Download your data and delete your account: lifecycles, access, contents, through HTML and API."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.models import ApiToken, User
from haven.core.errors import Conflict, Forbidden, RateLimited
from haven.privacy import export as export_zip
from haven.privacy import services
from haven.privacy.models import DeletionRequest, ExportRequest, LifecycleEvent
from haven.privacy.tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _inline_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _zip(export: ExportRequest) -> zipfile.ZipFile:
    with export_zip.open_for_download(export.file_name) as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


class TestExport:
    def test_request_needs_the_password(self) -> None:
        world = build_world(api_login=False)
        with pytest.raises(Forbidden) as err:
            services.export_request(user=world.member, password="wrong")
        assert err.value.code == "reauthentication_failed"
        assert not ExportRequest.objects.exists()

    def test_built_by_the_task_with_every_section_and_the_originals(self) -> None:
        world = build_world()
        export = services.export_request(user=world.member, password=PASSWORD)
        export.refresh_from_db()
        assert export.state == "ready" and export.expires_at is not None
        assert export.expires_at - export.ready_at == timedelta(days=7)  # type: ignore[operator]
        archive = _zip(export)
        names = set(archive.namelist())
        assert {"manifest.json", "index.html"} <= names
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["member"]["username"] == world.member.username
        for section, info in manifest["sections"].items():
            assert info["file"] in names, section
        everything = b"".join(archive.read(n) for n in names if n.startswith("data/")).decode()
        for marker in (
            "Title-QX-private",
            "Body-QX-draft",
            "Comment-QX on Bob's note",
            "Vocab-QX context",
            "Message-QX about the dumplings",
            "Group-message-QX see you at 9",
        ):
            assert marker in everything, marker
        assert "Bob answers" not in everything  # Bob's messages are Bob's data
        originals = [n for n in names if n.startswith("files/")]
        assert len(originals) >= 3  # the member's uploaded originals
        transitions = LifecycleEvent.objects.filter(subject="export", subject_id=export.pk)
        assert [(t.src, t.dst) for t in transitions.order_by("pk")] == [
            ("", "requested"),
            ("requested", "building"),
            ("building", "ready"),
        ]

    def test_holds_nothing_private_of_anyone_else(self) -> None:
        world = build_world()
        export = services.export_request(user=world.member, password=PASSWORD)
        export.refresh_from_db()
        archive = _zip(export)
        blob = b"".join(archive.read(n) for n in archive.namelist() if not n.startswith("files/")).decode()
        bob, cat = world.others
        assert bob.email not in blob and cat.email not in blob
        assert "only followers" not in blob  # cat's followers-only note
        data = {n: json.loads(archive.read(n)) for n in archive.namelist() if n.startswith("data/")}
        blocks = json.dumps(data.get("data/blocks.json", {}))
        assert "cat_zx" not in blocks  # cat blocked erin: cat's own choice, not erin's data

    def test_one_request_per_day(self) -> None:
        world = build_world(api_login=False)
        services.export_request(user=world.member, password=PASSWORD)
        with pytest.raises(RateLimited) as err:
            services.export_request(user=world.member, password=PASSWORD)
        assert err.value.code == "export_too_soon" and err.value.status == 429

    def test_download_link_works_for_its_owner_only_and_expires(self) -> None:
        world = build_world(api_login=False)
        export = services.export_request(user=world.member, password=PASSWORD)
        url = f"/settings/privacy/export/{export.pk}/download/"
        response = _client(world.member).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        assert "no-store" in response["Cache-Control"]
        zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip()  # type: ignore[attr-defined]
        assert _client(world.others[0]).get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to login
        staff = world.others[1]
        User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
        staff.refresh_from_db()
        assert _client(staff).get(url).status_code == 404  # not even operators
        export.refresh_from_db()
        name = export.file_name
        assert services.exports_expire(now=timezone.now() + timedelta(days=8)) == 1
        export.refresh_from_db()
        assert export.state == "expired" and not export_zip.storage().exists(name)
        assert _client(world.member).get(url).status_code == 404

    def test_api(self) -> None:
        world = build_world(api_login=False)
        client = _client(world.member)
        bad = client.post(
            "/api/v1/privacy/exports", data={"password": "nope"}, content_type="application/json"
        )
        assert bad.status_code == 403 and bad.json()["code"] == "reauthentication_failed"
        made = client.post(
            "/api/v1/privacy/exports", data={"password": PASSWORD}, content_type="application/json"
        )
        assert made.status_code == 202, made.content
        body = made.json()
        assert body["state"] == "ready" and body["download_url"]
        assert client.get(body["download_url"]).status_code == 200
        again = client.post(
            "/api/v1/privacy/exports", data={"password": PASSWORD}, content_type="application/json"
        )
        assert again.status_code == 429 and again.json()["code"] == "export_too_soon"
        assert [e["id"] for e in client.get("/api/v1/privacy/exports").json()] == [body["id"]]
        other = _client(world.others[0])
        assert other.get(f"/api/v1/privacy/exports/{body['id']}").status_code == 404
        assert other.get(body["download_url"]).status_code == 404

    def test_failed_build_is_retried_then_failed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        world = build_world(api_login=False)

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise OSError("disk full")

        monkeypatch.setattr(export_zip, "build", broken)
        export = services.export_request(user=world.member, password=PASSWORD)
        export.refresh_from_db()
        assert export.state == "requested" and export.attempts == 1 and export.error_code == "build_failed"
        for _ in range(2):
            services.export_build(export_id=export.pk)
        export.refresh_from_db()
        assert export.state == "failed"
        # a failed request does not count against the daily limit
        monkeypatch.undo()
        assert services.export_request(user=world.member, password=PASSWORD).pk != export.pk


class TestDeletion:
    def test_schedule_logs_out_everywhere_and_can_be_cancelled(self) -> None:
        world = build_world()
        member = world.member
        browser = _client(member)
        assert ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()
        response = browser.post(
            "/settings/privacy/delete/", {"delete-password": PASSWORD, "delete-confirm": "on"}
        )
        assert response.status_code == 302
        deletion = DeletionRequest.objects.get(user=member)
        assert response["Location"] == f"/settings/privacy/receipt/{deletion.receipt_code}/"
        assert deletion.state == "scheduled"
        assert deletion.erase_after - deletion.requested_at >= timedelta(days=30) - timedelta(seconds=5)
        assert not ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()
        assert browser.get("/settings/privacy/").status_code == 302  # logged out
        receipt = Client().get(response["Location"])
        assert receipt.status_code == 200 and deletion.receipt_code in receipt.content.decode()
        with pytest.raises(Conflict):
            services.deletion_schedule(user=member, password=PASSWORD)
        services.deletion_cancel_on_login(member)
        deletion.refresh_from_db()
        assert deletion.state == "cancelled"
        # nothing is erased when the date comes
        services.privacy_housekeeping(now=timezone.now() + timedelta(days=31))
        assert User.objects.filter(pk=member.pk).exists()

    @pytest.mark.parametrize("path", ["form", "api_token"])
    def test_logging_in_by_any_path_cancels_a_scheduled_deletion(self, path: str) -> None:
        world = build_world(api_login=False)
        member = world.member
        deletion = services.deletion_schedule(user=member, password=PASSWORD)
        assert deletion.state == "scheduled"
        if path == "form":
            browser = Client()
            response = browser.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
            assert response.status_code == 302
            center = browser.get("/settings/privacy/").content.decode()
            assert "your account deletion is cancelled" in center
        else:
            response = Client().post(
                "/api/v1/accounts/token",
                data={"username_or_email": member.username, "password": PASSWORD, "name": "phone"},
                content_type="application/json",
            )
            assert response.status_code == 201
        deletion.refresh_from_db()
        assert deletion.state == "cancelled"
        services.privacy_housekeeping(now=timezone.now() + timedelta(days=31))
        assert User.objects.filter(pk=member.pk).exists()

    def test_wrong_password_or_missing_confirmation(self) -> None:
        world = build_world(api_login=False)
        browser = _client(world.member)
        assert (
            browser.post(
                "/settings/privacy/delete/", {"delete-password": "x", "delete-confirm": "on"}
            ).status_code
            == 403
        )
        assert browser.post("/settings/privacy/delete/", {"delete-password": PASSWORD}).status_code == 400
        api = browser.post(
            "/api/v1/privacy/deletion",
            data={"password": PASSWORD, "confirm": False},
            content_type="application/json",
        )
        assert api.status_code == 400 and api.json()["code"] == "confirmation_required"
        assert not DeletionRequest.objects.exists()

    def test_erased_after_the_grace_period_with_a_receipt(self) -> None:
        world = build_world()
        member = world.member
        deletion = services.deletion_schedule(user=member, password=PASSWORD)
        assert services.privacy_housekeeping(now=timezone.now() + timedelta(days=29))["accounts_erased"] == 0
        result = services.privacy_housekeeping(now=timezone.now() + timedelta(days=31))
        assert result["accounts_erased"] == 1
        deletion.refresh_from_db()
        assert deletion.state == "erased" and deletion.user_id is None and deletion.erased_at
        assert deletion.counts["accounts.User"] == 1
        assert not User.objects.filter(pk=member.pk).exists()
        receipt = Client().get(f"/api/v1/privacy/deletion/receipt/{deletion.receipt_code}")
        assert receipt.status_code == 200 and receipt.json()["state"] == "erased"
        # running the job again changes nothing
        assert services.privacy_housekeeping(now=timezone.now() + timedelta(days=32))["accounts_erased"] == 0

    def test_api_schedule(self) -> None:
        world = build_world(api_login=False)
        browser = _client(world.member)
        made = browser.post(
            "/api/v1/privacy/deletion",
            data={"password": PASSWORD, "confirm": True},
            content_type="application/json",
        )
        assert made.status_code == 202 and made.json()["state"] == "scheduled"
        assert (
            Client().get(f"/api/v1/privacy/deletion/receipt/{made.json()['receipt_code']}").status_code == 200
        )
        assert Client().get("/api/v1/privacy/deletion/receipt/NOPE").status_code == 404


def test_the_receipt_and_the_index_name_kinds_of_data_as_members_read_them() -> None:
    from haven.privacy import sections, views

    counts = {"accounts.LoginEvent": 3, "accounts.UserSession": 1, "files": 2, "notes.Note": 4}
    assert views._readable_counts(counts) == [
        ("Files", 2),
        ("Login history", 3),
        ("Notes", 4),
        ("Sessions", 1),
    ]
    assert sections.section_title("saves_and_collections") == "Saves and collections"
    assert sections.section_title("orders_later") == "Orders later"  # a section an app adds later
