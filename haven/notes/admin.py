"""Admin screens for notes: read-only; opening a non-public note (followers-only, only-me, draft) needs a
reason and is recorded for its author (core.staff_audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haven.core.staff_audit import StaffAuditAdminMixin
from haven.notes.models import Note, Visibility


def _is_public(note: Note) -> bool:
    return note.visibility == Visibility.PUBLIC and note.status == Note.Status.PUBLISHED


@admin.register(Note)
class NoteAdmin(StaffAuditAdminMixin, admin.ModelAdmin):
    list_display = ("id", "public_title", "author", "visibility", "status", "language", "published_at")
    list_filter = ("visibility", "status", "language")
    list_select_related = ("author",)
    raw_id_fields = ("author",)
    search_fields = ("author__username",)
    exclude = ("body_html",)

    @admin.display(description=_("title"))
    def public_title(self, obj: Note) -> str:
        # The list shows titles of public notes only: opening a non-public one is audited.
        return obj.title if _is_public(obj) else str(_("(not public)"))

    def staff_audit_target(self, obj: Note) -> tuple[int | None, str] | None:
        return None if _is_public(obj) else (obj.author_id, "private_note")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # notes are written by members, through notes.services

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
