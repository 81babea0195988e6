"""Admin screens for follows, follow requests, blocks and mutes (inspection; changes go through services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from haven.graph.models import Block, Follow, FollowRequest, Mute


class _EdgeAdmin(admin.ModelAdmin):
    list_per_page = 50
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # edges are made by members through graph.services (notifications, limits)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(_EdgeAdmin):
    list_display = ("follower", "followee", "created_at")
    list_select_related = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")


@admin.register(FollowRequest)
class FollowRequestAdmin(_EdgeAdmin):
    list_display = ("requester", "target", "created_at")
    list_select_related = ("requester", "target")
    search_fields = ("requester__username", "target__username")


@admin.register(Block)
class BlockAdmin(_EdgeAdmin):
    list_display = ("blocker", "blocked", "created_at")
    list_select_related = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")


@admin.register(Mute)
class MuteAdmin(_EdgeAdmin):
    list_display = ("muter", "muted", "created_at")
    list_select_related = ("muter", "muted")
    search_fields = ("muter__username", "muted__username")
