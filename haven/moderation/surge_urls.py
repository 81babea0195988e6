"""HTML routes of the surge-defences dashboard (included at /moderation/surge/ in moderation.urls)."""

from django.urls import path

from haven.moderation import surge_views

urlpatterns = [
    path("", surge_views.surge_view, name="surge"),
    path("mode/", surge_views.surge_mode_view, name="surge_mode"),
    path("domains/", surge_views.surge_domains_view, name="surge_domains"),
    path("clusters/<int:cluster_id>/", surge_views.surge_cluster_view, name="surge_cluster"),
]
