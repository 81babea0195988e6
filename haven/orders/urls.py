"""HTML routes of orders: cart, checkout, orders, addresses (urls_earnings: the earnings dashboards)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.orders import urls_earnings, views

app_name = "orders"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cart/", views.cart_page, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/<int:item_id>/", views.cart_update, name="cart_update"),
    path("cart/<int:item_id>/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout_page, name="checkout"),
    path("checkout/address/", views.checkout_address, name="checkout_address"),
    path("checkout/<int:checkout_id>/done/", views.checkout_done, name="checkout_done"),
    path("orders/", views.my_orders, name="mine"),
    path("orders/sales/", views.sales, name="sales"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/<slug:action>/", views.order_action, name="action"),
    path("addresses/", views.address_book, name="addresses"),
    path("addresses/<int:address_id>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:address_id>/default/", views.address_default, name="address_default"),
    *urls_earnings.urlpatterns,
]
