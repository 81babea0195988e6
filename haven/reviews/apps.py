"""App configuration for reviews."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "haven.reviews"
    label = "reviews"
