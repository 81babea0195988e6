"""Admin of translation: the machine-translation cache, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.translation.models import CachedTranslation


@admin.register(CachedTranslation)
class CachedTranslationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "source_lang", "target_lang", "provider", "hits", "last_used_at")
    list_filter = ("source_lang", "target_lang", "provider")
    readonly_fields = [f.name for f in CachedTranslation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
