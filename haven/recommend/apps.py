"""App configuration for recommend: registers personal data, retention and the periodic jobs."""

from datetime import timedelta

from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "haven.recommend"
    label = "recommend"

    def ready(self) -> None:
        from haven.core.schedule import register_periodic
        from haven.recommend import personal_data, retention, tasks

        personal_data.register_all()
        retention.register()
        register_periodic(
            "recommend_events_flush",
            task=tasks.recommend_events_flush,
            every=timedelta(seconds=60),
            description="Move interaction events buffered in Redis into the database (scaled profile).",
        )
        from django.conf import settings

        register_periodic(
            "recommend_train",
            task=tasks.recommend_train,
            every=timedelta(hours=int(settings.HAVEN.recommend_train_hours)),
            jitter=timedelta(minutes=10),
            description="Train and activate a new Discover model on recent engagement (recommend.training).",
        )
