"""Data exports, account deletions with their receipts, policy versions and consents, staff access audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.privacy import states


class ExportRequest(models.Model):
    """A member's request to download their data; the ZIP lives in private storage until it expires."""

    class State(models.TextChoices):
        REQUESTED = states.REQUESTED, _("Requested")
        BUILDING = states.BUILDING, _("Being prepared")
        READY = states.READY, _("Ready to download")
        EXPIRED = states.EXPIRED, _("Expired")
        FAILED = states.FAILED, _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)  # in private storage, never served directly
    byte_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    sections = models.JSONField(default=dict, blank=True)  # section -> number of records
    error_code = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-requested_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"


class DeletionRequest(models.Model):
    """An account deletion: scheduled with a grace period, then erased. After erasure the row is the
    member's receipt: it keeps the receipt code, the dates and the counts, and no personal data."""

    class State(models.TextChoices):
        SCHEDULED = states.SCHEDULED, _("Scheduled")
        CANCELLED = states.CANCELLED, _("Cancelled")
        ERASING = states.ERASING, _("Erasing")
        ERASED = states.ERASED, _("Erased")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt_code = models.CharField(max_length=32, unique=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.SCHEDULED)
    requested_at = models.DateTimeField(auto_now_add=True)
    erase_after = models.DateTimeField()
    state_changed_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # what was erased: model label -> rows; "files" -> n
    attempts = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["scheduled", "erasing"]),
                name="one_open_deletion_per_user",
            )
        ]
        indexes = [models.Index(fields=["state", "erase_after"])]

    def __str__(self) -> str:
        return f"deletion {self.receipt_code} ({self.state})"


class LifecycleEvent(models.Model):
    """Audit row for every transition of an export or a deletion (no personal data)."""

    subject = models.CharField(max_length=12)  # "export" | "deletion"
    subject_id = models.PositiveBigIntegerField()
    src = models.CharField(max_length=12, blank=True)
    dst = models.CharField(max_length=12)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id}: {self.src or '-'} -> {self.dst}"


class PolicyDocument(models.Model):
    """One version of the terms or the privacy policy, in both languages. Operators edit drafts and
    publish; members accept each published version (they are asked again when a new one is published)."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        PRIVACY = "privacy", _("Privacy policy")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField()
    title_en = models.CharField(max_length=120)
    title_zh = models.CharField(max_length=120)
    body_en = models.TextField(max_length=60_000)
    body_zh = models.TextField(max_length=60_000)
    changes_en = models.CharField(max_length=500, blank=True)
    changes_zh = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="policy_kind_version_unique")]
        ordering = ["kind", "-version"]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class PolicyAcceptance(models.Model):
    """A member accepted one version of a policy, at a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PolicyDocument.Kind.choices)
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "version"], name="policy_acceptance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.kind} v{self.version}"


class Purpose(models.TextChoices):
    """Optional consents: each revocable at any time and checked where it is used."""

    PERSONALISED_RECOMMENDATIONS = "personalised_recommendations", _("Personalised recommendations")
    EXTERNAL_TRANSLATION = "external_translation", _("Send my texts to an external translation provider")
    MARKETING_EMAIL = "marketing_email", _("News and offers by e-mail")


class ConsentChoice(models.Model):
    """A member's current choice for one optional purpose (no row: the purpose's documented default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    granted = models.BooleanField()
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "purpose"], name="consent_choice_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose}={self.granted}"


class ConsentEvent(models.Model):
    """History of consent changes (granted or revoked, when), kept for the member's export."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    granted = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose}={self.granted} at {self.at}"


class StaffAccess(models.Model):
    """A staff member or moderator looked at a member's non-public data: who (role), what, why, when.
    Members see these in their privacy center and export; operators see all."""

    class What(models.TextChoices):
        EMAIL = "email", _("E-mail address")
        IP_ADDRESS = "ip_address", _("IP addresses")
        LOGIN_HISTORY = "login_history", _("Login history")
        PRIVATE_NOTE = "private_note", _("Non-public note")
        MESSAGE = "message", _("Messages")
        ORDER = "order", _("Orders")
        ACCOUNT = "account", _("Account details")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=20)  # operator | moderator | staff
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=20, choices=What.choices)
    object_ref = models.CharField(max_length=80, blank=True)  # e.g. "notes.note:42"
    reason = models.CharField(max_length=300)
    path = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["member", "-at"]), models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.role} saw {self.what} of {self.member_id}"
