"""Django settings for Haven, derived from the typed HAVEN_* settings in config.env (no other source)."""

from __future__ import annotations

import hashlib
import hmac
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, load

HAVEN = load()

TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

if HAVEN.production:
    _reasons = HAVEN.insecure_reasons()
    if _reasons:
        raise ImproperlyConfigured("Refusing insecure production settings: " + "; ".join(_reasons))

SECRET_KEY = HAVEN.secret_key
DEBUG = HAVEN.debug
ALLOWED_HOSTS = HAVEN.allowed_hosts
CSRF_TRUSTED_ORIGINS = HAVEN.csrf_trusted_origins
DATA_DIR = HAVEN.data_dir

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_tasks_db",
    "haven.core",
    "haven.accounts",
    "haven.notifications",
    "haven.graph",
    "haven.media",
    "haven.notes",
    "haven.engagement",
    "haven.translation",
    "haven.recommend",
    "haven.feeds",
    "haven.messaging",
    "haven.payments",
    "haven.shops",
    "haven.catalog",
    "haven.orders",
    "haven.reviews",
    "haven.people",
    "haven.imports",
    "haven.onboarding",
    "haven.privacy",
    "haven.moderation",
    "haven.search",
    "haven.web",
    "haven.demo",
]

MIDDLEWARE = [
    # Outermost: under ASGI, hands sync streaming bodies (WhiteNoise, media files) to the server
    # through an async iterator, chunk by chunk, instead of Django buffering them with a warning.
    "haven.core.streaming.AsyncStreamingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files come pre-compressed from WhiteNoise (gzip and brotli made by collectstatic).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON; before every middleware that reads or changes the body. Django's
    # GZip pads with random bytes against BREACH; CSRF tokens are masked per response as well.
    "haven.core.compression.MediaAwareGZipMiddleware",  # not for byte ranges, images, video
    # Labels anonymous Discover/topic/profile/note pages public with an ETag (304s), everything else
    # that sets a cookie private; outside every middleware that sets cookies or the CSP header.
    "haven.core.http_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haven.accounts.middleware.UserLanguageMiddleware",
    # Tracks the signed-in session (accounts.UserSession): no query but a touch every 5 minutes.
    "haven.accounts.middleware.SessionTrackingMiddleware",
    "haven.core.middleware.InputGuardMiddleware",
    # Re-asks members to accept new terms / privacy policy versions (one cache lookup per request).
    "haven.privacy.middleware.PolicyAcceptanceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Redis down: a failure that escapes a view becomes 503 + Retry-After (haven.core.degrade).
    "haven.core.degrade.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "haven.web.context.site",
                # After Django's csrf processor: the shared (cacheable) variant renders no CSRF token.
                "haven.core.http_cache.context",
            ],
        },
    },
]

# Database: SQLite (WAL) embedded, PostgreSQL when HAVEN_DATABASE_URL is set.
if HAVEN.database_url:
    # Under ASGI each request may run in a different thread, so persistent per-thread connections
    # pile up (bench/ found "too many clients"): CONN_MAX_AGE stays 0, and PostgreSQL connections come
    # from psycopg's pool (HAVEN_DB_POOL_SIZE per process, default 8): "closing" one at the end of a
    # request hands it back. HAVEN_DB_POOL_SIZE=0 opens a new connection per request instead.
    DATABASES = {
        "default": dj_database_url.parse(HAVEN.database_url, conn_max_age=0, conn_health_checks=False)
    }
    if HAVEN.db_pool_size > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": HAVEN.db_pool_size,
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "haven.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, rate limits and channel layers: local memory embedded, Redis scaled.
# Redis clients have bounded timeouts and degrade when Redis is down (haven.core.degrade).
if HAVEN.redis_url:
    from haven.core.degrade import cache_config, channel_layer_config

    CACHES = {"default": cache_config(HAVEN.redis_url)}
    CHANNEL_LAYERS = {"default": channel_layer_config(HAVEN.redis_url)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "haven"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Background work through django.tasks.
if HAVEN.tasks_backend == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# Argon2id sized for the machine (haven.accounts.hashers; OWASP defaults). It verifies hashes made
# with Django's own Argon2 parameters too, and re-hashes them with these at the next login.
PASSWORD_HASHERS = [
    "haven.accounts.hashers.HavenArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Caching for the crowd (haven.core.http_cache): s-maxage and max-age of public anonymous pages.
PUBLIC_CACHE_SECONDS = HAVEN.public_cache_seconds
BROWSER_CACHE_SECONDS = min(HAVEN.browser_cache_seconds, HAVEN.public_cache_seconds)

ARGON2_MEMORY_KIB = HAVEN.argon2_memory_kib
ARGON2_TIME_COST = HAVEN.argon2_time_cost
ARGON2_PARALLELISM = HAVEN.argon2_parallelism
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = HAVEN.default_language
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"  # originals: never served
# Residency region -> location of its members' media (haven.media.regions); "default" is the two above.
STORAGE_REGIONS = HAVEN.storage_regions
# HAVEN_STORAGE_URL: the location of "default" (docs/operator-guide.md "Object storage (S3)").
DEFAULT_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
if HAVEN.storage_url.startswith("s3://"):
    STORAGE_REGIONS = {**STORAGE_REGIONS, "default": HAVEN.storage_url}
    DEFAULT_STORAGE_BACKEND = "haven.media.regions.default_storage_backend"  # the same bucket and prefix
elif HAVEN.storage_url:
    _STORAGE_ROOT = Path(HAVEN.storage_url.removeprefix("file://"))
    MEDIA_ROOT, PRIVATE_MEDIA_ROOT = _STORAGE_ROOT / "media", _STORAGE_ROOT / "private"
STORAGES = {
    "default": {"BACKEND": DEFAULT_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
DATA_UPLOAD_MAX_NUMBER_FILES = 18
# Imports of TikTok/Instagram exports (haven.imports.parsing.limits.ImportLimits names every limit).
IMPORT_LIMITS = {"max_archive_bytes": HAVEN.import_max_archive_mb * 1024 * 1024}

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HAVEN.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SILENCED_SYSTEM_CHECKS: list[str] = []

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": HAVEN.log_level},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Machine translation (haven.translation; docs/translation.md). Providers are plain dicts here,
# validated again by haven.translation.providers so tests can override them with `settings`.
TRANSLATION_PROVIDERS = [p.model_dump() for p in HAVEN.translation_providers]
TRANSLATION_ROUTES = HAVEN.translation_routes
TRANSLATION_TIMEOUT_SECONDS = HAVEN.translation_timeout_seconds
TRANSLATION_MEMBER_QUOTA_PER_HOUR = HAVEN.translation_member_quota_per_hour
TRANSLATION_INSTANCE_QUOTA_PER_HOUR = HAVEN.translation_instance_quota_per_hour
TRANSLATION_MAX_CHARS = HAVEN.translation_max_chars

# Retention in days (haven.core.retention; 0 keeps forever)
RETAIN_LOGIN_HISTORY_DAYS = HAVEN.retain_login_history_days
RETAIN_IP_DAYS = HAVEN.retain_ip_days
RETAIN_TOMBSTONES_DAYS = HAVEN.retain_tombstones_days
RETAIN_EXPORTS_DAYS = HAVEN.retain_exports_days
RETAIN_SEEN_NOTES_DAYS = HAVEN.retain_seen_notes_days
RETAIN_NOTIFICATIONS_DAYS = HAVEN.retain_notifications_days
RETAIN_IDEMPOTENCY_DAYS = HAVEN.retain_idempotency_days
RETAIN_TASK_RESULTS_DAYS = HAVEN.retain_task_results_days
RECOMMEND_EVENT_DAYS = HAVEN.recommend_event_days  # interaction events (haven.recommend.retention)
HAVEN_NSFW_HOLD_SCORE = HAVEN.nsfw_hold_score

# Payments (haven.payments; docs/payments.md)
HAVEN_PAYMENTS_PROVIDER = HAVEN.payments_provider
HAVEN_STRIPE_SECRET_KEY = HAVEN.stripe_secret_key
HAVEN_STRIPE_PUBLISHABLE_KEY = HAVEN.stripe_publishable_key
HAVEN_STRIPE_WEBHOOK_SECRET = HAVEN.stripe_webhook_secret
HAVEN_STRIPE_API_BASE = HAVEN.stripe_api_base.rstrip("/")
HAVEN_PAYMENTS_SANDBOX_IN_PRODUCTION = HAVEN.payments_sandbox_in_production
HAVEN_CHECKOUT_HOLD_MINUTES = HAVEN.checkout_hold_minutes
HAVEN_PLATFORM_FEE_BPS = HAVEN.platform_fee_bps
HAVEN_ORDER_COMPLETE_DAYS = HAVEN.order_complete_days
HAVEN_ATTRIBUTION_DAYS = HAVEN.attribution_days
HAVEN_MAX_UNPAID_CHECKOUTS = HAVEN.max_unpaid_checkouts
HAVEN_PRODUCTION = HAVEN.production
HAVEN_SANDBOX_WEBHOOK_SECRET = (
    HAVEN.sandbox_webhook_secret
    or hmac.new(SECRET_KEY.encode(), b"haven.payments.sandbox-webhook", hashlib.sha256).hexdigest()
)
