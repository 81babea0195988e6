"""Admin screens for members, API tokens and security records (no secret is ever shown)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import ApiToken, LoginEvent, Passkey, TotpDevice, User, UserSession
from haven.core.staff_audit import StaffAuditAdminMixin


@admin.register(User)
class UserAdmin(StaffAuditAdminMixin, BaseUserAdmin):
    # The e-mail address is non-public: shown on the change view only, after a reason (staff audit).
    list_display = ("username", "display_name", "is_private", "is_active", "is_staff", "date_joined")
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

    def staff_audit_target(self, obj: User) -> tuple[int | None, str]:
        return obj.pk, "email"


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


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Security records are written by members' own actions; staff may look and delete, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(UserSession)
class UserSessionAdmin(StaffAuditAdminMixin, _ReadOnlyAdmin):
    # IP addresses only on the change view, after a reason (staff audit).
    list_display = ("user", "label", "created_at", "last_seen_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    fields = ("user", "label", "user_agent", "ip_address", "created_at", "last_seen_at")  # never the key

    def staff_audit_target(self, obj: UserSession) -> tuple[int | None, str]:
        return obj.user_id, "ip_address"


@admin.register(LoginEvent)
class LoginEventAdmin(StaffAuditAdminMixin, _ReadOnlyAdmin):
    list_display = ("user", "at", "outcome", "method")  # IP addresses after a reason (staff audit)
    list_filter = ("outcome", "method")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    fields = ("user", "at", "outcome", "method", "ip_address", "user_agent")

    def staff_audit_target(self, obj: LoginEvent) -> tuple[int | None, str]:
        return obj.user_id, "login_history"


@admin.register(Passkey)
class PasskeyAdmin(_ReadOnlyAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "backed_up")
    search_fields = ("user__username", "name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    fields = ("user", "name", "aaguid", "backed_up", "sign_count", "created_at", "last_used_at")


@admin.register(TotpDevice)
class TotpDeviceAdmin(_ReadOnlyAdmin):
    """Deleting a member's device turns their two-factor off (for an account recovery by staff)."""

    list_display = ("user", "created_at", "confirmed_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    fields = ("user", "created_at", "confirmed_at")  # never the secret
