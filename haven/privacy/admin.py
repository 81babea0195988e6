"""Admin screens of privacy: policy drafts and publishing (published versions read-only), and the
append-only staff access log (operators only, read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haven.core.errors import HavenError
from haven.privacy import consent
from haven.privacy.models import PolicyDocument, StaffAccess

_POLICY_FIELDS = (
    "kind",
    "version",
    "title_en",
    "title_zh",
    "changes_en",
    "changes_zh",
    "body_en",
    "body_zh",
    "published_at",
    "created_at",
)


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    """Drafts are edited freely; "Publish" makes a draft the current version (members are asked to
    accept it); a published version can no longer be changed or deleted. "New draft" starts the next
    version from the newest texts."""

    list_display = ("kind", "version", "title_en", "published_at", "created_at")
    list_filter = ("kind", "published_at")
    ordering = ("kind", "-version")
    fields = _POLICY_FIELDS
    actions = ("publish", "new_draft")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.published_at is not None:
            return _POLICY_FIELDS
        if obj is not None:
            return ("kind", "version", "published_at", "created_at")
        return ("published_at", "created_at")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        kind = str(initial.get("kind") or request.GET.get("kind") or PolicyDocument.Kind.TERMS)
        if kind in consent.KINDS:
            latest = PolicyDocument.objects.filter(kind=kind).order_by("-version").first()
            initial.setdefault("kind", kind)
            initial.setdefault("version", str((latest.version + 1) if latest else 1))
        return initial

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # published versions must never go in a bulk delete
        return actions

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[PolicyDocument]) -> None:
        for document in queryset.order_by("kind", "version")[:10]:
            try:
                consent.policy_publish(document_id=document.pk)
            except HavenError as exc:
                self.message_user(request, f"{document}: {exc.message}", level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(document)s is published; members will be asked to accept it.")
                    % {"document": document},
                    level=messages.SUCCESS,
                )

    @admin.action(description=_("Start a new draft from the selected policy"), permissions=["add"])
    def new_draft(self, request: HttpRequest, queryset: QuerySet[PolicyDocument]) -> None:
        for kind in sorted(set(queryset.values_list("kind", flat=True)))[:2]:
            draft = consent.policy_new_draft(kind=kind)
            self.message_user(
                request,
                _("Draft %(document)s is ready to edit.") % {"document": draft},
                level=messages.SUCCESS,
            )


@admin.register(StaffAccess)
class StaffAccessAdmin(admin.ModelAdmin):
    """Every recorded staff access, for operators; append-only (no add, change or delete)."""

    list_display = ("at", "role", "staff", "what", "member", "reason", "object_ref")
    list_filter = ("role", "what")
    list_select_related = ("staff", "member")
    search_fields = ("staff__username", "member__username", "reason")
    date_hierarchy = "at"
    readonly_fields = ("at", "role", "staff", "member", "what", "object_ref", "reason", "path")
    fields = readonly_fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False)) or super().has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
