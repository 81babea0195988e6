"""App configuration for shops: personal data, reportables, the logo attachment, inbox wording."""

from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "haven.shops"
    label = "shops"

    def ready(self) -> None:
        from haven.media.services import register_attachment
        from haven.shops import notices, personal_data, reportable

        personal_data.register_all()
        reportable.register()
        register_attachment("shop_logos")
        notices.register()
