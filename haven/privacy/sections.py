"""How a member reads the sections of their data: titles for the export index and the receipt.

Sections are named by the apps' registrations (haven.core.personal_data); a section an app adds
later without a title here is shown by its name, capitalised.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from haven.core import personal_data

TITLES = {
    "profile": _("Profile"),
    "notes": _("Notes"),
    "media": _("Photos"),
    "comments": _("Comments"),
    "likes": _("Likes"),
    "saves_and_collections": _("Saves and collections"),
    "follows": _("Follows"),
    "follow_requests": _("Follow requests"),
    "blocks": _("Blocked accounts"),
    "mutes": _("Muted accounts"),
    "notifications": _("Notifications"),
    "translations_and_vocabulary": _("Translations and words"),
    "consents": _("Consents"),
    "login_history": _("Login history"),
    "sessions": _("Sessions"),
    "security": _("Two-factor authentication"),
    "passkeys": _("Passkeys"),
    "api_tokens": _("API tokens"),
    "seen_notes": _("Notes Discover showed you"),
    "recommendation_events": _("What you viewed, read and shared (for recommendations)"),
    "not_interested": _("Things you said you are not interested in"),
    "followed_topics": _("Topics you follow"),
    "staff_access": _("Staff access to your data"),
    "privacy": _("Data downloads and deletion"),
    "requests": _("Requests sent with a retry key"),
    "admin_actions": _("Your actions as staff"),
    "reports_and_decisions": _("Reports and moderation decisions"),
    "moderation_work": _("Your work as a moderator"),
    "files": _("Files"),
}


def section_title(name: str) -> str:
    title = TITLES.get(name)
    return str(title) if title is not None else name.replace("_", " ").capitalize()


def title_for_label(label: str) -> str:
    """The section title of a model label ("accounts.LoginEvent" -> "Login history")."""
    if label in TITLES:
        return section_title(label)
    try:
        registration = personal_data.registration_for(apps.get_model(label))
    except (LookupError, ValueError):
        registration = None
    return section_title(registration.section) if registration is not None else label
