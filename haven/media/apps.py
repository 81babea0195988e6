"""App configuration for media: its periodic clean-up, and (for now) the login-history retention rule."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "haven.media"
    label = "media"

    def ready(self) -> None:
        from datetime import timedelta

        from haven.core.schedule import register_periodic
        from haven.media import tasks

        register_periodic(
            "media_cleanup",
            task=tasks.cleanup_media,
            every=timedelta(hours=6),
            jitter=timedelta(minutes=30),
            description="Delete unattached uploads after a day, retry stalled processing, remove orphans.",
        )
        _register_login_history_retention()

        from haven.media import personal_data

        personal_data.register_all()


def _register_login_history_retention() -> None:
    """Interim: declares accounts' login-history retention until accounts' own ready() does (then
    delete this; the last registration of a kind wins, so a later one in accounts is harmless)."""
    from datetime import datetime

    from django.utils.translation import gettext_lazy as _

    from haven.accounts import services as accounts_services
    from haven.core.retention import register_retention

    prune = getattr(accounts_services, "login_events_prune", None)
    if prune is None:
        return

    def prune_login_history(cutoff: datetime) -> int:
        return int(prune(older_than=cutoff))

    register_retention(
        "login_history",
        setting="RETAIN_LOGIN_HISTORY_DAYS",
        days=365,
        prune=prune_login_history,
        description=_("Login history of an account: when, from which device and address, and the outcome"),
    )
