"""Accounts' personal-data registrations: the member, tokens, sessions, login history, 2FA, passkeys.

No export ever holds a secret: not the password hash, token hashes or prefixes, the TOTP secret,
recovery code hashes, session keys, or passkey credential ids and public keys. The `User` row itself
is deleted last by the privacy app's account erasure (`privacy.account_erase`); its eraser here only
removes the avatar file. Every other row here is deleted by its eraser. Django's own tables that
hold a member's data are covered too:
`sessions.Session` (every session of the member, found through the tracking rows and, with the
database store, by a bounded scan) and `admin.LogEntry` (a staff member's own admin actions: deleted
with the staff account, because the row's user is required and cannot be anonymised).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage

from haven.accounts import sessions
from haven.accounts.models import ApiToken, LoginEvent, Passkey, RecoveryCode, TotpDevice, User, UserSession
from haven.core import personal_data

CHUNK = 2000


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_profile(user: Any) -> Iterator[dict[str, Any]]:
    """The member's own account and profile fields (never the password hash)."""
    u = User.objects.get(pk=user.pk)
    yield {
        "id": u.pk,
        "username": u.username,
        "email": u.email,
        "display_name": u.display_name,
        "bio": u.bio,
        "languages": list(u.languages or []),
        "learning_languages": list(u.learning_languages or []),
        "region": u.region,
        "interface_language": u.interface_language,
        "is_private": u.is_private,
        "data_region": getattr(u, "data_region", ""),
        "date_joined": _iso(u.date_joined),
        "last_login": _iso(u.last_login),
        "avatar": "avatar.webp" if u.avatar else None,
    }


def profile_files(user: Any) -> Iterator[personal_data.ExportFile]:
    """The member's avatar rendition, when they have one."""
    path = User.objects.filter(pk=user.pk).values_list("avatar", flat=True).first()
    if path:
        yield personal_data.ExportFile(
            archive_name="avatar.webp", open=lambda: default_storage.open(path, "rb")
        )


def erase_avatar(user: Any) -> int:
    """Delete the member's avatar file and clear the field (idempotent); the User row goes later."""
    path = User.objects.filter(pk=user.pk).values_list("avatar", flat=True).first()
    if not path:
        return 0
    with contextlib.suppress(OSError):
        default_storage.delete(path)
    User.objects.filter(pk=user.pk).update(avatar="", avatar_blurhash="")
    return 1


def export_tokens(user: Any) -> Iterator[dict[str, Any]]:
    """The member's API tokens by name and dates (no secret, hash or prefix)."""
    rows = ApiToken.objects.filter(user_id=user.pk).order_by("pk")
    for pk, name, created, used, revoked in rows.values_list(
        "pk", "name", "created_at", "last_used_at", "revoked_at"
    ):
        yield {
            "id": pk,
            "name": name,
            "created_at": _iso(created),
            "last_used_at": _iso(used),
            "revoked_at": _iso(revoked),
        }


def export_sessions(user: Any) -> Iterator[dict[str, Any]]:
    """Signed-in sessions: device, address, when (never the session key)."""
    rows = UserSession.objects.filter(user_id=user.pk).order_by("pk")
    for pk, label, agent, ip, created, seen in rows.values_list(
        "pk", "label", "user_agent", "ip_address", "created_at", "last_seen_at"
    ):
        yield {
            "id": pk,
            "device": label,
            "user_agent": agent,
            "ip_address": ip,
            "created_at": _iso(created),
            "last_seen_at": _iso(seen),
        }


def export_login_events(user: Any) -> Iterator[dict[str, Any]]:
    rows = LoginEvent.objects.filter(user_id=user.pk).order_by("pk")
    for pk, at, ip, agent, outcome, method in rows.values_list(
        "pk", "at", "ip_address", "user_agent", "outcome", "method"
    ).iterator(chunk_size=CHUNK):
        yield {
            "id": pk,
            "at": _iso(at),
            "ip_address": ip,
            "user_agent": agent,
            "outcome": outcome,
            "method": method,
        }


def export_totp(user: Any) -> Iterator[dict[str, Any]]:
    """Whether an authenticator app is set up, and since when (never the secret)."""
    for pk, created, confirmed in TotpDevice.objects.filter(user_id=user.pk).values_list(
        "pk", "created_at", "confirmed_at"
    ):
        yield {
            "id": pk,
            "enabled": confirmed is not None,
            "created_at": _iso(created),
            "confirmed_at": _iso(confirmed),
        }


def export_recovery_codes(user: Any) -> Iterator[dict[str, Any]]:
    """When each recovery code was made and used (never the code or its hash)."""
    for pk, created, used in (
        RecoveryCode.objects.filter(user_id=user.pk).order_by("pk").values_list("pk", "created_at", "used_at")
    ):
        yield {"id": pk, "created_at": _iso(created), "used_at": _iso(used)}


def export_passkeys(user: Any) -> Iterator[dict[str, Any]]:
    """Passkeys by name and dates (no credential id or key)."""
    rows = Passkey.objects.filter(user_id=user.pk).order_by("pk")
    for pk, name, created, used, backed_up in rows.values_list(
        "pk", "name", "created_at", "last_used_at", "backed_up"
    ):
        yield {
            "id": pk,
            "name": name,
            "created_at": _iso(created),
            "last_used_at": _iso(used),
            "synced": backed_up,
        }


def export_admin_log(user: Any) -> Iterator[dict[str, Any]]:
    """A staff member's own admin actions: when, on which kind of object, what (no object names)."""
    log_entry = apps.get_model("admin", "LogEntry")
    rows = log_entry.objects.filter(user_id=user.pk).order_by("pk")
    for pk, when, app_label, model, flag in rows.values_list(
        "pk", "action_time", "content_type__app_label", "content_type__model", "action_flag"
    ).iterator(chunk_size=CHUNK):
        yield {
            "id": pk,
            "at": _iso(when),
            "object_type": f"{app_label}.{model}" if app_label else None,
            "action": {1: "add", 2: "change", 3: "delete"}.get(flag, str(flag)),
        }


def erase_user_sessions(user: Any) -> int:
    """End every tracked session of the member (the sessions too) and drop the rows."""
    return sessions.sessions_end_all(user=user)


def register_all() -> None:
    """Called from AccountsConfig.ready()."""
    personal_data.register(
        User,
        section="profile",
        owner_fields=("id",),
        exporter=export_profile,
        # The row itself is deleted last by privacy.account_erase; this eraser removes the avatar file.
        eraser=erase_avatar,
        erased_with="privacy.account_erase",
        outside_transaction=True,
        personal_fields=("username", "email", "display_name", "bio", "avatar", "languages", "region"),
        files=profile_files,
        order=1000,
    )
    for through in (User.groups.through, User.user_permissions.through):
        personal_data.register(
            through,
            section="profile",
            owner_fields=("user",),
            exporter=None,
            eraser=None,
            erased_with="accounts.User",  # the rows go with the User row (cascade)
        )
    personal_data.register(
        ApiToken,
        section="api_tokens",
        owner_fields=("user",),
        exporter=export_tokens,
        eraser=personal_data.rows_deleter(ApiToken),
    )
    personal_data.register(
        UserSession,
        section="sessions",
        owner_fields=("user",),
        exporter=export_sessions,
        eraser=erase_user_sessions,
        personal_fields=("user_agent", "ip_address"),
        order=30,
    )
    personal_data.register(
        LoginEvent,
        section="login_history",
        owner_fields=("user",),
        exporter=export_login_events,
        eraser=personal_data.rows_deleter(LoginEvent),
        personal_fields=("user_agent", "ip_address"),
    )
    personal_data.register(
        TotpDevice,
        section="security",
        owner_fields=("user",),
        exporter=export_totp,
        eraser=personal_data.rows_deleter(TotpDevice),
    )
    personal_data.register(
        RecoveryCode,
        section="security",
        owner_fields=("user",),
        exporter=export_recovery_codes,
        eraser=personal_data.rows_deleter(RecoveryCode),
    )
    personal_data.register(
        Passkey,
        section="passkeys",
        owner_fields=("user",),
        exporter=export_passkeys,
        eraser=personal_data.rows_deleter(Passkey),
    )
    if apps.is_installed("django.contrib.sessions"):
        personal_data.register(
            apps.get_model("sessions", "Session"),
            section="sessions",
            owner_fields=(),
            # Session data is not the member's to read; UserSession says where they are signed in.
            exporter=None,
            eraser=sessions.sessions_erase,
            order=20,  # before the tracking rows go (30), which lead it to the sessions
        )
    if apps.is_installed("django.contrib.admin"):
        log_entry = apps.get_model("admin", "LogEntry")
        personal_data.register(
            log_entry,
            section="admin_actions",
            owner_fields=("user",),
            exporter=export_admin_log,
            eraser=personal_data.rows_deleter(log_entry),
        )
