"""Members, their profiles and preferences, and the API tokens they create."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

USERNAME_RE = r"^[a-z0-9_]{2,30}$"
SUPPORTED_LANGUAGES = ("en", "zh", "ja", "ko", "es", "fr", "de", "pt", "ru", "it", "vi", "th", "id", "ar")
MAX_LANGUAGES = 8


class User(AbstractUser):
    """A member. Usernames are lower-case ASCII handles; display names may be any script."""

    class InterfaceLanguage(models.TextChoices):
        EN = "en", _("English")
        ZH_HANS = "zh-hans", _("Simplified Chinese")

    username_validator = UnicodeUsernameValidator()
    username = models.CharField(
        _("username"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(USERNAME_RE, _("2-30 lower-case letters, digits or underscores."))],
    )
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    bio = models.CharField(_("bio"), max_length=500, blank=True)
    # Avatar renditions (re-encoded, metadata stripped) written by accounts.services via core.images.
    avatar = models.CharField(max_length=255, blank=True)
    avatar_blurhash = models.CharField(max_length=64, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    # Languages the member is learning (same codes as `languages`, never one of them): Discover mixes
    # in notes written in them, and onboarding suggests people who write them.
    learning_languages = models.JSONField(_("languages learning"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=2, blank=True)
    # Where this member's media files are stored (a key of HAVEN_STORAGE_REGIONS; see docs on residency).
    data_region = models.CharField(_("data region"), max_length=16, default="default")
    interface_language = models.CharField(
        _("interface language"), max_length=8, choices=InterfaceLanguage.choices, default=InterfaceLanguage.EN
    )
    is_private = models.BooleanField(_("private account"), default=False)
    # A suspension (haven.moderation) makes the account inactive until then; permanent: SUSPENDED_FOREVER.
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def __str__(self) -> str:
        return self.username


class ApiToken(models.Model):
    """A bearer token a member created for the API. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=50)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    MAX_PER_USER = 20

    def __str__(self) -> str:
        return f"{self.user_id}:{self.name}"

    @staticmethod
    def hash_secret(raw: str) -> str:
        """The stored form of a token secret."""
        return hashlib.sha256(raw.encode()).hexdigest()


# ----------------------------------------------------------------------------------------------
# Account security: signed-in sessions, login history, two-factor authentication, passkeys


class UserSession(models.Model):
    """A browser session a member is signed in with, so they can list and end it.

    Django's session rows are not listable per member; this is the index. The session key itself is
    never stored in the clear: `key_hash` (SHA-256) finds the row, `key_sealed` (encrypted with a key
    derived from SECRET_KEY, accounts.sealing) lets Haven delete the session from the store on revoke.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    key_sealed = models.CharField(max_length=400)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(db_index=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    label = models.CharField(max_length=60, blank=True)

    MAX_PER_USER = 50

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="usersession_user_seen")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.label or self.pk}"


class LoginEvent(models.Model):
    """One attempt to sign in to a member's account: when, from where, how, and how it went."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        FAILED_PASSWORD = "failed_password", _("Wrong password")
        FAILED_2FA = "failed_2fa", _("Wrong two-factor code")
        LOCKED_OUT = "locked_out", _("Too many attempts")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        TOTP = "totp", _("Authenticator app")
        RECOVERY_CODE = "recovery_code", _("Recovery code")
        PASSKEY = "passkey", _("Passkey")
        TOKEN = "token", _("API token")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_events")
    at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    method = models.CharField(max_length=16, choices=Method.choices)

    class Meta:
        indexes = [models.Index(fields=["user", "-at"], name="loginevent_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.outcome}:{self.at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A member's authenticator-app secret (RFC 6238). Active once `confirmed_at` is set.

    The secret is stored sealed (accounts.sealing); `last_counter` is the time step of the last code
    accepted, so a code is never accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret_sealed = models.CharField(max_length=400)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_counter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}:{'on' if self.confirmed_at else 'pending'}"


class RecoveryCode(models.Model):
    """A single-use recovery code for two-factor sign-in; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recoverycode_user_hash")]

    def __str__(self) -> str:
        return f"{self.user_id}:{'used' if self.used_at else 'unused'}"


class Passkey(models.Model):
    """A WebAuthn credential (passkey or security key) a member registered."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=50)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, at most 1023 bytes
    public_key = models.BinaryField(max_length=2048)
    sign_count = models.BigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    aaguid = models.CharField(max_length=36, blank=True)
    backed_up = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    MAX_PER_USER = 10

    def __str__(self) -> str:
        return f"{self.user_id}:{self.name}"
