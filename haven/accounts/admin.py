"""Admin screens for members and their API tokens (token hashes are read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "is_private", "is_active", "is_staff", "date_joined")
    list_filter = ("is_private", "is_active", "is_staff", "interface_language")
    search_fields = ("username", "email", "display_name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "bio",
                    "avatar",
                    "avatar_blurhash",
                    "languages",
                    "region",
                    "interface_language",
                    "is_private",
                )
            },
        ),
    )
    readonly_fields = ("avatar", "avatar_blurhash", "last_login", "date_joined")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("user", "name", "prefix", "token_hash", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "token_hash", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created by members, so that the secret is shown to them alone
