"""Admin views of media: read-only inspection of uploads and their lifecycle, with a retry action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from haven.media import services
from haven.media.models import MediaImage, MediaTransition


class MediaTransitionInline(admin.TabularInline):
    model = MediaTransition
    extra = 0
    can_delete = False
    fields = ("at", "src", "dst", "detail")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "state", "original_format", "width", "height", "byte_size", "created_at")
    list_filter = ("state", "original_format")
    search_fields = ("owner__username", "sha256")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = tuple(f.name for f in MediaImage._meta.get_fields() if f.concrete)
    inlines = (MediaTransitionInline,)
    actions = ("retry_processing",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads go through media.services.image_upload

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Retry processing of failed images"))
    def retry_processing(self, request: HttpRequest, queryset: QuerySet[MediaImage]) -> None:
        count = sum(services.image_retry(image_id=pk) for pk in queryset.values_list("pk", flat=True)[:500])
        text = ngettext("%(count)d image queued again.", "%(count)d images queued again.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
