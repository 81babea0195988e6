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
    region = models.CharField(_("region"), max_length=2, blank=True)
    # Where this member's media files are stored (a key of HAVEN_STORAGE_REGIONS; see docs on residency).
    data_region = models.CharField(_("data region"), max_length=16, default="default")
    interface_language = models.CharField(
        _("interface language"), max_length=8, choices=InterfaceLanguage.choices, default=InterfaceLanguage.EN
    )
    is_private = models.BooleanField(_("private account"), default=False)

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
