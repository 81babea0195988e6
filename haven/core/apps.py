"""App configuration for the shared kernel: registers the kernel's periodic jobs and retention rules."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haven.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from haven.core import personal_data_core

        personal_data_core.register_all()

        from haven.core import pruning

        pruning.register()
