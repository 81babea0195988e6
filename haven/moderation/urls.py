"""HTML routes of moderation (mounted at /moderation/)."""

from django.urls import include, path

from haven.moderation import views

app_name = "moderation"
urlpatterns = [
    path("report/<slug:kind>/<int:target_id>/", views.report_view, name="report"),
    path("mine/", views.mine_view, name="mine"),
    path("mine/<int:case_id>/appeal/", views.appeal_view, name="appeal"),
    path("", views.queue_view, name="queue"),
    path("cases/<int:case_id>/", views.case_view, name="case"),
    path("cases/<int:case_id>/claim/", views.case_claim_view, name="claim"),
    path("cases/<int:case_id>/decide/", views.case_decide_view, name="decide"),
    path("cases/<int:case_id>/note/", views.case_note_view, name="note"),
    path("cases/<int:case_id>/appeal/", views.appeal_decide_view, name="appeal_decide"),
    path("team/", views.team_view, name="team"),
    path("reasons/", views.reasons_view, name="reasons"),
    path("audit/", views.audit_view, name="audit"),
    path("surge/", include("haven.moderation.surge_urls")),
]
