"""App configuration for reviews: personal data, reportables and the review photos' media attachment."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "haven.reviews"
    label = "reviews"

    def ready(self) -> None:
        from haven.media.services import register_attachment
        from haven.reviews import personal_data, reportable

        personal_data.register_all()
        reportable.register()
        register_attachment("review_uses")
