"""URL wiring: the web shell, each app's HTML views, the JSON API and media in the embedded profile."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("haven.accounts.urls")),
    path("graph/", include("haven.graph.urls")),
    path("media/upload/", include("haven.media.urls")),
    path("notes/", include("haven.notes.urls")),
    path("engagement/", include("haven.engagement.urls")),
    path("feeds/", include("haven.feeds.urls")),
    path("notifications/", include("haven.notifications.urls")),
    path("translation/", include("haven.translation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("haven.web.urls")),
]

if not settings.HAVEN.storage_url:
    # Embedded profile: renditions are served from the local media folder (originals live elsewhere).
    urlpatterns += [
        re_path(r"^media/(?P<path>(?:r|avatars)/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
