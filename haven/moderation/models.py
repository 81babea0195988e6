"""Trust and safety data: report reasons, staff roles, reports, cases, sanctions, appeals, audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

REPORT_TEXT_MAX = 1000
NOTE_TEXT_MAX = 2000
APPEAL_TEXT_MAX = 2000


class ReportReason(models.Model):
    """An operator-editable reason a member can give (spam, harassment or hate, ...), with its severity."""

    code = models.SlugField(max_length=40, unique=True)
    label_en = models.CharField(max_length=80)
    label_zh = models.CharField(max_length=80)
    severity = models.PositiveSmallIntegerField(default=2)  # 1 (low) .. 5 (urgent: minor safety, self-harm)
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=5), name="reason_severity")
        ]

    def __str__(self) -> str:
        return self.code

    def label(self, language: str | None = None) -> str:
        return self.label_zh if (language or "").startswith("zh") else self.label_en


class StaffRole(models.Model):
    """A trust-and-safety role: operator, moderator (with the languages they read), trusted reporter."""

    class Role(models.TextChoices):
        OPERATOR = "operator"
        MODERATOR = "moderator"
        TRUSTED_REPORTER = "trusted_reporter"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_role")
    role = models.CharField(max_length=20, choices=Role.choices)
    languages = models.JSONField(default=list, blank=True)  # base codes the moderator reads: ["en", "zh"]
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class Case(models.Model):
    """Everything reported or flagged about one target, reviewed once. Lifecycle: moderation.states.CASE."""

    class State(models.TextChoices):
        OPEN = "open"
        IN_REVIEW = "in_review"
        ACTIONED = "actioned"
        DISMISSED = "dismissed"
        APPEALED = "appealed"
        UPHELD = "upheld"
        OVERTURNED = "overturned"

    class Source(models.TextChoices):
        REPORT = "report"
        CLASSIFIER = "classifier"
        SURGE = "surge"  # near-duplicate text or links across new accounts, blocked domains
        IMAGE = "image"  # image classifier or hash blocklist

    class Action(models.TextChoices):
        NONE = ""
        REMOVE = "remove"
        LIMIT = "limit"
        LABEL = "label"  # sensitive-content label
        SUSPEND = "suspend"
        DISMISS = "dismiss"

    target_kind = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, default="und")  # the queue: the content's detected language
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.REPORT)
    reason = models.ForeignKey(
        ReportReason, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    severity = models.PositiveSmallIntegerField(default=1)
    reach = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    priority = models.IntegerField(default=0, db_index=True)  # higher first; moderation.services.priority_of
    scores = models.JSONField(default=dict, blank=True)  # classifier scores {"abuse": 0.93, "spam": 0.02}
    held = models.BooleanField(default=False)  # the content was held before distribution for this case
    unstaffed = models.BooleanField(default=False)  # no moderator reads its language (shown to all)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices, blank=True, default="")
    decision_reason = models.CharField(max_length=40, blank=True)  # a ReportReason code
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automated = models.BooleanField(default=False)  # decided by a rule without a human
    opened_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)  # SLA: reviewed by then
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)  # bumped by every transition (compare-and-set)

    class Meta:
        indexes = [
            models.Index(fields=["state", "language", "-priority"], name="case_queue"),
            models.Index(fields=["target_kind", "target_id"], name="case_target"),
            models.Index(fields=["target_author", "-opened_at"], name="case_author"),
            models.Index(fields=["decided_at"], name="case_decided"),
        ]
        constraints = [
            # Reports on the same target merge into one open case.
            models.UniqueConstraint(
                fields=["target_kind", "target_id"],
                condition=Q(state__in=["open", "in_review"]),
                name="case_one_open_per_target",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.target_kind} {self.target_id}, {self.state})"


class Report(models.Model):
    """One member's report of one target; it joins the target's open case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    reason = models.ForeignKey(ReportReason, on_delete=models.PROTECT, related_name="reports")
    text = models.CharField(max_length=REPORT_TEXT_MAX, blank=True)
    trusted = models.BooleanField(default=False)  # from a trusted reporter (weighs more)
    # What the reporter saw, for content that may vanish before review (a private message and the
    # messages around it, which the sender could unsend): {"text": ..., "context": [...]}.
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["reporter", "-created_at"], name="report_reporter")]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="report_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on case {self.case_id}"


class CaseNote(models.Model):
    """An internal note by a moderator on a case (never shown to members)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=NOTE_TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"note on case {self.case_id}"


class CaseTransition(models.Model):
    """Audit row for every lifecycle transition of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    src = models.CharField(max_length=12)
    dst = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.src} -> {self.dst}"


class Sanction(models.Model):
    """What a decision did to a member or their content; a strike when `strike` is set."""

    class Kind(models.TextChoices):
        REMOVE = "remove"
        LIMIT = "limit"
        LABEL = "label"
        SUSPEND = "suspend"
        HOLD = "hold"  # automated hold before distribution

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_kind = models.CharField(max_length=20, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    strike = models.BooleanField(default=False)
    until = models.DateTimeField(null=True, blank=True)  # suspensions: None with kind=suspend is permanent
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)  # an appeal overturned it

    class Meta:
        indexes = [models.Index(fields=["member", "-created_at"], name="sanction_member")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.member_id}"


class Appeal(models.Model):
    """A member's appeal of a decision, reviewed by a different moderator."""

    class Outcome(models.TextChoices):
        PENDING = "pending"
        UPHELD = "upheld"
        OVERTURNED = "overturned"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=APPEAL_TEXT_MAX)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"appeal of case {self.case_id} ({self.outcome})"


class AuditEntry(models.Model):
    """Append-only log of every moderator action and every moderator view of non-public content.

    Services only ever insert rows; in PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
    Erasure of a member keeps the rows (the member's id is kept as a number, their name is not).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40)  # case.claim, case.decide, content.view, appeal.decide, ...
    case_id_ref = models.BigIntegerField(null=True, blank=True)
    target_kind = models.CharField(max_length=20, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class BlockedImageHash(models.Model):
    """A perceptual hash of a known harmful image (operator-managed); near matches are held."""

    phash = models.CharField(max_length=16, unique=True)  # 64-bit perceptual hash, hex
    label = models.CharField(max_length=120, blank=True)
    max_distance = models.PositiveSmallIntegerField(default=6)  # Hamming distance still counted as a match
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.phash


# ----------------------------------------------------------------------------------------------
# Surge defences (haven.moderation.surge; docs/moderation-surge.md)


class SurgeMode(models.Model):
    """The surge-mode switch: one row (pk 1). On, every surge limit tightens at once (see surge.py)."""

    active = models.BooleanField(default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)  # who switched it and why is in the audit log

    def __str__(self) -> str:
        return "surge mode on" if self.active else "surge mode off"


class BlockedDomain(models.Model):
    """A link domain whose posts are held at once (its subdomains too); operator-managed."""

    domain = models.CharField(max_length=253, unique=True)  # lower-case, IDNA (punycode)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class SignupEvent(models.Model):
    """One web or API sign-up that reached the velocity gate: its network and e-mail domain only (no
    account, no address), for the dashboard; pruned after two days."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    network = models.CharField(max_length=64, blank=True)  # /24 (IPv4) or /64 (IPv6)
    domain = models.CharField(max_length=253, blank=True)
    refused = models.CharField(max_length=20, blank=True)  # "", "network" or "domain"

    class Meta:
        indexes = [
            models.Index(fields=["network", "at"], name="signup_event_network"),
            models.Index(fields=["domain", "at"], name="signup_event_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.network} {self.domain}"


class ContentCluster(models.Model):
    """Near-duplicate posts (or posts with the same link, or a blocked domain) from new accounts,
    reviewed as one case (reportable kind "cluster"). It keeps no text: that stays with the items."""

    class Rule(models.TextChoices):
        NEAR_DUPLICATE = "near_duplicate"
        SAME_LINK = "same_link"
        BLOCKED_DOMAIN = "blocked_domain"

    rule = models.CharField(max_length=20, choices=Rule.choices)
    domain = models.CharField(max_length=253, blank=True)  # the shared link's domain, or the blocked one
    language = models.CharField(max_length=8, default="und")  # most items' language: the case's queue
    state = models.CharField(max_length=10, default="ok")  # the moderation state last applied to it
    item_count = models.PositiveIntegerField(default=0)
    account_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"cluster {self.pk} ({self.rule}, {self.item_count} items)"


class ClusterItem(models.Model):
    """One note or comment in a cluster (an item belongs to one cluster at most)."""

    cluster = models.ForeignKey(ContentCluster, on_delete=models.CASCADE, related_name="items")
    item_kind = models.CharField(max_length=20)
    item_pk = models.BigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item_kind", "item_pk"], name="cluster_item_once")]
        indexes = [models.Index(fields=["cluster", "added_at"], name="cluster_item_added")]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.item_pk} in cluster {self.cluster_id}"


class SurgeFingerprint(models.Model):
    """The MinHash signature and links of a new account's post, kept for the surge window."""

    item_kind = models.CharField(max_length=20)
    item_pk = models.BigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(max_length=8, default="und")
    signature = models.BinaryField(null=True, blank=True)  # MinHash values (uint32, little-endian)
    component = models.BigIntegerField(default=0, db_index=True)  # connected near-duplicates share one
    cluster = models.ForeignKey(
        ContentCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item_kind", "item_pk"], name="surge_fp_once")]

    def __str__(self) -> str:
        return f"fingerprint of {self.item_kind} {self.item_pk}"


class SurgeBand(models.Model):
    """One LSH band hash (or link hash) of a fingerprint: posts sharing a key are candidates."""

    fingerprint = models.ForeignKey(SurgeFingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()
    is_link = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["key", "created_at"], name="surge_band_key"),
            models.Index(fields=["created_at"], name="surge_band_age"),
        ]

    def __str__(self) -> str:
        return f"band {self.key}"
