"""App configuration for catalog: personal data, reportables, searchables, retention, media attachments
and the products section of the shop page."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "haven.catalog"
    label = "catalog"

    def ready(self) -> None:
        from haven.catalog import personal_data, reportable, retention, searchable, sections
        from haven.media.services import register_attachment
        from haven.shops.sections import register_shop_section

        personal_data.register_all()
        reportable.register()
        searchable.register()
        retention.register()
        register_attachment("product_uses")
        register_shop_section("products", sections.render_products)
