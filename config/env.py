"""Typed, side-effect-free configuration read from HAVEN_* environment variables."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

INSECURE_DEV_KEY = "haven-insecure-development-key-change-me-please-0123456789"

# Surge defences: big mail providers exempt from the sign-ups-per-domain limit, and link domains
# never treated as spam links (docs/moderation-surge.md).
SURGE_EXEMPT_EMAIL_DOMAINS = (
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
    "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "aol.com", "gmx.com", "gmx.de",
    "web.de", "mail.ru", "yandex.ru", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net",
    "sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com",
)  # fmt: skip
SURGE_LINK_ALLOWLIST = (
    "wikipedia.org", "youtube.com", "youtu.be", "github.com", "openstreetmap.org", "bilibili.com",
    "xiaohongshu.com", "zhihu.com", "douban.com", "weibo.com",
)  # fmt: skip


class TranslationProviderConfig(BaseModel):
    """One machine-translation provider (HAVEN_TRANSLATION_PROVIDERS is a JSON list of these)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    kind: Literal["ctranslate2", "libretranslate", "openai"]
    #: Language pairs served, "src-tgt" with base codes ("zh-en"), or "*" / "zh-*" / "*-en".
    pairs: list[str] = Field(default_factory=lambda: ["*"], max_length=200)
    #: Bumped by the operator when the model changes, so cached translations are not reused.
    version: str = Field(default="1", max_length=16)
    # ctranslate2
    path: str = ""
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    compute_type: str = "int8"
    beam_size: int = Field(default=2, ge=1, le=8)
    max_batch_size: int = Field(default=16, ge=1, le=256)
    inter_threads: int = Field(default=1, ge=1, le=64)
    intra_threads: int = Field(default=0, ge=0, le=256)
    max_decoding_length: int = Field(default=512, ge=8, le=2048)
    #: A token put before every source sentence, e.g. ">>cmn_Hans<<" for multi-target OPUS-MT models.
    source_prefix: str = Field(default="", max_length=32)
    # libretranslate / openai
    url: str = ""
    api_key: str = ""
    model: str = ""
    #: The endpoint is a service the operator runs on a private network (allows private addresses).
    trusted_local: bool = False
    #: Followers-only and only-me notes (and their comments) may go to this provider (ARCHITECTURE rule 15).
    allowed_for_private_content: bool = False
    timeout_seconds: float | None = Field(default=None, gt=0, le=300)
    #: Haven language code -> the provider's code, e.g. {"zh": "zh-Hans"} for newer LibreTranslate.
    codes: dict[str, str] = Field(default_factory=dict)


class HavenSettings(BaseSettings):
    """Every knob an operator may turn. Defaults give the embedded profile on one machine."""

    model_config = SettingsConfigDict(env_prefix="HAVEN_", extra="ignore")

    debug: bool = False
    production: bool = False
    secret_key: str = INSECURE_DEV_KEY
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "testserver"]
    )
    csrf_trusted_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated); none by default.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    data_dir: Path = BASE_DIR / "var"
    database_url: str = ""
    # PostgreSQL: psycopg connection pool per process (web worker or task worker); 0 = off (a new
    # connection per request). Each process holds at most this many connections, so the server's
    # max_connections must exceed processes x this (docs/operator-guide.md "Database connections").
    db_pool_size: int = Field(default=8, ge=0, le=200)
    redis_url: str = ""
    # Where all media go (the region "default"): "" = HAVEN_DATA_DIR's media/ and private/, an
    # absolute folder, or s3://bucket?endpoint=...&region=...&prefix=... (credentials: AWS_* variables).
    storage_url: str = ""
    # Data residency (docs/operator-guide.md "Data residency"): residency region -> where its members'
    # media files go: an absolute folder (file:///srv/eu or /srv/eu) or s3://bucket?endpoint=...
    # JSON ({"eu": "/srv/haven-eu"}) or "eu=/srv/haven-eu,us=/srv/haven-us". The region "default"
    # (HAVEN_DATA_DIR's media/ and private/ folders unless listed here) always exists.
    storage_regions: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    site_name: str = "Haven"
    default_language: Literal["en", "zh-hans"] = "en"
    # Uploads
    max_upload_bytes: int = 15 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_image_side: int = 12_000
    # Video notes (docs/video.md): what an upload may be, and what processing one may cost.
    video_max_mb: Annotated[int, Field(ge=1, le=16_384)] = 1024
    video_max_seconds: Annotated[int, Field(ge=1, le=7200)] = 900
    video_max_side: Annotated[int, Field(ge=64, le=8192)] = 4096
    # Limits of each ffmpeg/ffprobe run (wall seconds, CPU seconds, address space in MiB).
    video_process_seconds: Annotated[int, Field(ge=10, le=86_400)] = 1800
    video_process_memory_mb: Annotated[int, Field(ge=256, le=65_536)] = 2048
    # Feeds
    feed_page_size: int = 20
    # Rate limits (per window)
    login_rate_per_minute: int = 10
    signup_rate_per_hour: int = 20
    # Password hashing: Argon2id sized for the machine (OWASP password-storage guidance; memory in KiB).
    # Defaults: 19 MiB, 2 passes, 1 lane (~20 ms per hash on one core, not Django's 100 MiB x 8 lanes).
    # Stored hashes with other parameters are re-hashed with these at the member's next login.
    argon2_memory_kib: Annotated[int, Field(ge=7 * 1024, le=1024 * 1024)] = 19 * 1024
    argon2_time_cost: Annotated[int, Field(ge=1, le=10)] = 2
    argon2_parallelism: Annotated[int, Field(ge=1, le=16)] = 1
    # Task backend: "database" (default, real worker), "immediate" (tests, inline on commit)
    tasks_backend: Literal["database", "immediate"] = "database"
    log_level: str = "INFO"
    # Benchmarks: expose /bench/ping (a fixed JSON reply, no database) for the framework ceiling
    bench_endpoints: bool = False
    # Machine translation (docs/translation.md). JSON: a list of providers, and routes
    # {"zh-en": ["local-zh-en", "lt"]} (ordered provider ids, fallbacks after the first).
    translation_providers: list[TranslationProviderConfig] = Field(default_factory=list)
    translation_routes: dict[str, list[str]] = Field(default_factory=dict)
    translation_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    translation_member_quota_per_hour: int = Field(default=300, ge=0)
    translation_instance_quota_per_hour: int = Field(default=20_000, ge=0)
    translation_max_chars: int = Field(default=8000, ge=100, le=100_000)
    # Scaled feeds (docs/scaling-design.md); used only when redis_url is set.
    # Authors with at least this many followers are merged at read time instead of pushed.
    fanout_threshold: Annotated[int, Field(ge=1)] = 10_000
    # Note ids kept per member's Following feed in Redis.
    feed_cap: Annotated[int, Field(ge=50, le=10_000)] = 800
    # Fan-out reaches members who read Following this recently; also a feed's TTL.
    feed_active_days: Annotated[int, Field(ge=1, le=365)] = 14
    # Followers per database chunk and per Redis script call.
    fanout_chunk: Annotated[int, Field(ge=100, le=10_000)] = 1000
    # Absorb note counters in Redis, applied in batches by the flush_counters task.
    counter_buffer: bool = False
    # 0: Discover ranks fresh candidates; >0: one shared candidate list refreshed at this period.
    discover_cache_seconds: Annotated[int, Field(ge=0, le=3600)] = 0
    # Rank a member's next Discover first page ahead of the request, in the task worker, into the cache
    # (docs/recommend.md "Ranked ahead"): None = on when the cache is shared between processes (Redis)
    # and a task worker runs (HAVEN_TASKS_BACKEND=database); true/false to force it. How long a
    # ranking made ahead may wait for its page (seconds); an older one is ranked again in the request.
    discover_prepare: bool | None = None
    discover_prepared_seconds: Annotated[int, Field(ge=30, le=3600)] = 900
    # Caching for the crowd (docs/operator-guide.md "Reverse proxy and caching"): how long a reverse
    # proxy or CDN may keep an anonymous Discover, topic, profile or note page (s-maxage); 0: off.
    public_cache_seconds: Annotated[int, Field(ge=0, le=86_400)] = 60
    # How long a visitor's browser may keep one (max-age); capped at public_cache_seconds.
    browser_cache_seconds: Annotated[int, Field(ge=0, le=3600)] = 30
    # Imports (docs/imports.md): the largest TikTok/Instagram export a member may upload, in MiB.
    import_max_archive_mb: Annotated[int, Field(ge=1, le=16_384)] = 1024
    # Retention (docs/operator-guide.md "Retention"; `manage.py retention --list`), in days; 0 keeps forever.
    retain_login_history_days: Annotated[int, Field(ge=0, le=3650)] = 365
    retain_ip_days: Annotated[int, Field(ge=0, le=3650)] = 90
    retain_tombstones_days: Annotated[int, Field(ge=0, le=3650)] = 30
    retain_exports_days: Annotated[int, Field(ge=1, le=90)] = 7
    retain_seen_notes_days: Annotated[int, Field(ge=0, le=3650)] = 30
    retain_notifications_days: Annotated[int, Field(ge=0, le=3650)] = 180
    retain_idempotency_days: Annotated[int, Field(ge=0, le=3650)] = 7
    retain_task_results_days: Annotated[int, Field(ge=0, le=3650)] = 14
    # Trust and safety (docs/moderation.md). Score new notes and comments with the shipped classifiers.
    moderation_scoring: bool = True
    # Per-category overrides of the classifiers' thresholds, e.g. {"abuse": {"review": 0.6, "hold": 0.9}}.
    moderation_thresholds: dict[str, dict[str, float]] = Field(default_factory=dict)
    # Image screening: hold an upload when the nudity detector scores an explicit class at least this.
    nsfw_hold_score: Annotated[float, Field(ge=0.05, le=1.0)] = 0.6
    # Surge defences (docs/moderation-surge.md). An account is "new" for this many days (0: none is).
    surge_new_account_days: Annotated[int, Field(ge=0, le=90)] = 3
    # What a new account may do per hour (fixed one-hour windows).
    surge_new_notes_per_hour: Annotated[int, Field(ge=1, le=10_000)] = 10
    surge_new_comments_per_hour: Annotated[int, Field(ge=1, le=10_000)] = 60
    surge_new_follows_per_hour: Annotated[int, Field(ge=1, le=10_000)] = 100
    # Web and API sign-ups per hour from one network (/24 IPv4, /64 IPv6) and per e-mail domain.
    surge_signups_per_network_per_hour: Annotated[int, Field(ge=1, le=100_000)] = 20
    surge_signups_per_domain_per_hour: Annotated[int, Field(ge=1, le=100_000)] = 200
    # Big mail providers are exempt from the per-domain limit (comma-separated; subdomains included).
    surge_exempt_email_domains: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(SURGE_EXEMPT_EMAIL_DOMAINS), max_length=500
    )
    # Near-duplicates: this many distinct new accounts posting text at least this similar (estimated
    # Jaccard of character shingles), or the same link, within the window are one held case.
    surge_duplicate_accounts: Annotated[int, Field(ge=2, le=1000)] = 3
    surge_duplicate_similarity: Annotated[float, Field(ge=0.5, le=1.0)] = 0.8
    surge_window_hours: Annotated[int, Field(ge=1, le=168)] = 24
    # Link domains never counted as "the same link" nor held in surge mode (subdomains included).
    surge_link_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(SURGE_LINK_ALLOWLIST), max_length=500
    )
    # Surge mode multiplies every per-hour limit by this factor (rounded up, at least 1), makes
    # accounts "new" for twice as long, needs `surge_mode_duplicate_accounts` accounts for a cluster,
    # and holds new accounts' posts with links for review.
    surge_mode_factor: Annotated[float, Field(gt=0.0, le=1.0)] = 0.25
    surge_mode_duplicate_accounts: Annotated[int, Field(ge=2, le=1000)] = 2
    # Payments (docs/payments.md): "sandbox" (a test-mode card processor inside Haven, the default)
    # or "stripe" (needs the secret key and the webhook signing secret).
    payments_provider: Literal["sandbox", "stripe"] = "sandbox"
    stripe_secret_key: str = Field(default="", max_length=300)
    stripe_publishable_key: str = Field(default="", max_length=300)
    stripe_webhook_secret: str = Field(default="", max_length=300)
    # Where the Stripe API lives (tests point it at an in-process server).
    stripe_api_base: str = Field(default="https://api.stripe.com", pattern=r"^https?://[^\s/]+(:\d+)?/?$")
    # Signs the sandbox's webhook events; derived from HAVEN_SECRET_KEY when unset.
    sandbox_webhook_secret: str = Field(default="", max_length=300)
    # A production instance refuses checkouts paid in the sandbox (test cards move no money) unless
    # the operator says it is a demo.
    payments_sandbox_in_production: bool = False
    # Commerce (docs/orders.md): how long checkout holds stock for an unpaid order, the platform's fee,
    # when a delivered order completes, how long a tag tap attributes a purchase, and how many unpaid
    # checkouts one member may hold at once.
    checkout_hold_minutes: Annotated[int, Field(ge=5, le=1440)] = 30
    platform_fee_bps: Annotated[int, Field(ge=0, le=3000)] = 500
    order_complete_days: Annotated[int, Field(ge=1, le=90)] = 7
    attribution_days: Annotated[int, Field(ge=1, le=30)] = 7
    max_unpaid_checkouts: Annotated[int, Field(ge=1, le=50)] = 5
    # Recommendations (docs/recommend.md): "trained" ranks Discover with the trained model when one is
    # active (else the v0 ranking), "v0" always uses the v0 ranking; how long interaction events are
    # kept; how often a web process checks for a newly trained model; how often training runs.
    recommender: Literal["trained", "v0"] = "trained"
    recommend_event_days: Annotated[int, Field(ge=1, le=365)] = 90
    recommend_reload_seconds: Annotated[int, Field(ge=5, le=3600)] = 60
    recommend_train_hours: Annotated[int, Field(ge=1, le=168)] = 6

    @model_validator(mode="after")
    def _check_argon2(self) -> HavenSettings:
        # OWASP's weakest equivalent is 7 MiB x 5 passes: memory x passes must not fall below it.
        if self.argon2_memory_kib * self.argon2_time_cost < 7 * 1024 * 5:
            raise ValueError(
                "HAVEN_ARGON2_MEMORY_KIB x HAVEN_ARGON2_TIME_COST must be at least 35840 "
                "(OWASP: 19456 x 2, 12288 x 3, 9216 x 4 or 7168 x 5)"
            )
        return self

    @field_validator("surge_exempt_email_domains", "surge_link_allowlist", mode="before")
    @classmethod
    def _split_domains(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list | tuple):
            return [str(v).strip().lower().strip(".") for v in value if str(v).strip()]
        return value

    @field_validator("allowed_hosts", "csrf_trusted_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("storage_regions", mode="before")
    @classmethod
    def _parse_regions(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{"):
                return json.loads(text)
            pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("HAVEN_STORAGE_REGIONS: expected region=location pairs separated by commas")
            return {key.strip(): location.strip() for key, location in pairs}
        return value

    @field_validator("storage_regions")
    @classmethod
    def _check_regions(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 50:
            raise ValueError("HAVEN_STORAGE_REGIONS: at most 50 regions")
        for key, location in value.items():
            if not re.fullmatch(r"[a-z][a-z0-9_-]{0,15}", key):
                raise ValueError(
                    f"HAVEN_STORAGE_REGIONS: region {key!r} must be 1-16 lowercase letters/digits"
                )
            if not (location.startswith(("/", "file:///", "s3://"))):
                raise ValueError(
                    f"HAVEN_STORAGE_REGIONS: {key}={location!r} must be an absolute folder, file:///... or s3://..."
                )
        return value

    @field_validator("storage_url")
    @classmethod
    def _check_storage_url(cls, value: str) -> str:
        """HAVEN_STORAGE_URL: "" (HAVEN_DATA_DIR), an absolute folder, or s3://bucket?endpoint=...&region=...
        &prefix=...&addressing=path|virtual (docs/operator-guide.md "Object storage (S3)")."""
        value = value.strip()
        if not value or value.startswith("/") or value.startswith("file:///"):
            return value
        parts = urlsplit(value)
        if parts.scheme != "s3" or parts.path not in ("", "/") or parts.fragment:
            raise ValueError("HAVEN_STORAGE_URL: expected an absolute folder, file:///... or s3://bucket?...")
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", parts.netloc):
            raise ValueError(f"HAVEN_STORAGE_URL: {parts.netloc!r} is not a valid bucket name")
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = set(query) - {"endpoint", "region", "prefix", "addressing"}
        if unknown or any(len(values) > 1 for values in query.values()):
            options = sorted(unknown) or sorted(query)
            raise ValueError(f"HAVEN_STORAGE_URL: unknown or repeated options {options}")
        endpoint = urlsplit(query.get("endpoint", [""])[0])
        if query.get("endpoint") and (endpoint.scheme not in ("http", "https") or not endpoint.hostname):
            raise ValueError("HAVEN_STORAGE_URL: endpoint must be an http:// or https:// URL")
        if not re.fullmatch(r"[a-z0-9-]{0,32}", query.get("region", [""])[0]):
            raise ValueError("HAVEN_STORAGE_URL: region must be a region name such as us-east-1")
        prefix = query.get("prefix", [""])[0]
        if not re.fullmatch(r"[A-Za-z0-9._/-]{0,200}", prefix) or ".." in prefix.split("/"):
            raise ValueError("HAVEN_STORAGE_URL: prefix may hold letters, digits, . _ - and / (no ..)")
        if query.get("addressing", ["path"])[0] not in ("path", "virtual"):
            raise ValueError("HAVEN_STORAGE_URL: addressing must be path or virtual")
        return value

    @model_validator(mode="after")
    def _check_default_location(self) -> HavenSettings:
        if self.storage_url and "default" in self.storage_regions:
            raise ValueError(
                'HAVEN_STORAGE_URL is the location of the region "default": leave "default" out of '
                "HAVEN_STORAGE_REGIONS (or HAVEN_STORAGE_URL unset)"
            )
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _check_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"HAVEN_TRUSTED_PROXIES: {item!r} is not an IP address or network") from exc
        return value

    def insecure_reasons(self) -> list[str]:
        """Why these settings must not be used in production (empty when they are fine)."""
        reasons = []
        if self.secret_key == INSECURE_DEV_KEY or len(self.secret_key) < 50:
            reasons.append("HAVEN_SECRET_KEY must be set to a random value of at least 50 characters")
        if self.debug:
            reasons.append("HAVEN_DEBUG must be off")
        if not self.allowed_hosts or "*" in self.allowed_hosts:
            reasons.append("HAVEN_ALLOWED_HOSTS must list the site's host names")
        if self.payments_provider == "stripe" and not (self.stripe_secret_key and self.stripe_webhook_secret):
            reasons.append(
                "HAVEN_PAYMENTS_PROVIDER=stripe needs HAVEN_STRIPE_SECRET_KEY and HAVEN_STRIPE_WEBHOOK_SECRET"
            )
        if self.payments_provider == "stripe" and not self.stripe_api_base.startswith("https://"):
            reasons.append("HAVEN_STRIPE_API_BASE must be an https:// address")
        return reasons


def load() -> HavenSettings:
    return HavenSettings()
