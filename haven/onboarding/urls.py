"""HTML routes of onboarding (mounted at /welcome/): the four steps, finishing and skipping."""

from django.urls import path

from haven.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.start, name="start"),
    path("languages/", views.languages, name="languages"),
    path("interests/", views.interests, name="interests"),
    path("people/", views.people, name="people"),
    path("hello/", views.hello, name="hello"),
    path("finish/", views.finish, name="finish"),
    path("skip/", views.skip, name="skip"),
]
