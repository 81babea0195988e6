"""App configuration for accounts: registers its models in the personal-data registry."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"

    def ready(self) -> None:
        from haven.accounts.personal_data import register_all

        register_all()
