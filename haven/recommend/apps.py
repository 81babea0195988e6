"""App configuration for recommend: registers personal data, retention and the periodic jobs."""

from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "haven.recommend"
    label = "recommend"

    def ready(self) -> None:
        pass
