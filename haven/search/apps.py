"""App configuration for search: the indexer in core.searchables, personal data, retention, periodic jobs."""

from datetime import timedelta

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "haven.search"
    label = "search"

    def ready(self) -> None:
        from haven.core import searchables
        from haven.core.schedule import register_periodic
        from haven.search import personal_data, retention, services, tasks

        searchables.install_indexer(services.index_on_commit)
        personal_data.register_all()
        retention.register()
        register_periodic(
            "search_refresh",
            task=tasks.search_refresh,
            every=timedelta(hours=6),
            jitter=timedelta(minutes=30),
            description="Refresh search boosts (engagement, topic counts) and repair drift between "
            "the search index and what is indexable.",
        )
