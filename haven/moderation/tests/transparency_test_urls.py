"""Test URLconf: the site's routes plus the transparency report (until config/urls.py includes it)."""

from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as site

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("haven.moderation.transparency_urls")),
    *site,
]
