"""App configuration for graph: plugs its notification filter and privacy hook into lower apps."""

from __future__ import annotations

from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "haven.graph"
    label = "graph"

    def ready(self) -> None:
        from haven.graph import personal_data

        personal_data.register_all()
        from haven.graph import searchable

        searchable.register()

        from haven.accounts.hooks import on_account_made_public
        from haven.graph.filters import drop_blocked_actors
        from haven.graph.services import approve_pending_on_made_public
        from haven.notifications.access import register_filter

        register_filter(drop_blocked_actors)
        on_account_made_public(approve_pending_on_made_public)
