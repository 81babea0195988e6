"""HTML routes for policies, consents and the staff access log (mounted at the site root)."""

from django.urls import path

from haven.privacy import views_consent as views

app_name = "privacy_consent"
urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy_policy, name="privacy"),
    path("policies/updated/", views.policies_updated, name="policies_updated"),
    path("settings/privacy/consents/", views.consents, name="consents"),
    path("settings/privacy/consents/<slug:purpose>/", views.consent_toggle, name="consent_toggle"),
    path("settings/privacy/staff-access/", views.staff_access_list, name="staff_access"),
]
