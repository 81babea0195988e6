"""URL wiring: the web shell, each app's HTML views, the JSON API and media files."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from config.api import api
from haven.media import serving, tus

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    # Resumable video uploads (tus 1.0.0): plain views, tus needs HEAD/PATCH/OPTIONS and its headers.
    path("api/v1/media/uploads/", tus.uploads_view, name="media-uploads"),
    path("api/v1/media/uploads/<uuid:upload_id>", tus.upload_view, name="media-upload"),
    path("api/v1/", api.urls),
    path("accounts/", include("haven.accounts.urls")),
    path("graph/", include("haven.graph.urls")),
    path("media/", include("haven.media.urls")),  # renditions, through an access check (ADR 0004)
    path("notes/", include("haven.notes.urls")),
    path("engagement/", include("haven.engagement.urls")),
    path("feeds/", include("haven.feeds.urls")),
    path("notifications/", include("haven.notifications.urls")),
    path("messages/", include("haven.messaging.urls")),
    path("translation/", include("haven.translation.urls")),
    path("settings/privacy/", include("haven.privacy.urls")),
    path("settings/import/", include("haven.imports.urls")),
    path("people/", include("haven.people.urls")),  # find your people; settings: former handles
    path("welcome/", include("haven.onboarding.urls")),  # the first hour after sign-up
    path("moderation/", include("haven.moderation.urls")),
    path("search/", include("haven.search.urls")),
    path("recommend/", include("haven.recommend.urls")),  # "not interested", Your recommendations
    path("pay/", include("haven.payments.urls")),  # hosted sandbox payment page, provider webhooks
    path("shop/", include("haven.shops.urls")),
    path("products/", include("haven.catalog.urls")),
    path("reviews/", include("haven.reviews.urls")),
    path("", include("haven.orders.urls")),  # /cart/, /checkout/, /orders/, /addresses/, /earnings/
    path("", include("haven.moderation.transparency_urls")),  # /transparency/, the public report
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("haven.privacy.urls_consent")),  # /terms/, /privacy/, /settings/privacy/consents/ ...
    path("", include("haven.web.urls")),
]

if not settings.HAVEN.storage_url:
    # Local media folder: avatars are public files (renditions go through media.views; originals
    # live elsewhere and are never served).
    urlpatterns += [
        re_path(r"^media/(?P<path>avatars/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
else:
    # HAVEN_STORAGE_URL (an S3 bucket, which stays private, or a folder): avatars are read from the
    # default storage by the app, with Range and ETag support.
    urlpatterns += [re_path(r"^media/(?P<name>avatars/.*)$", serving.serve_avatar)]
