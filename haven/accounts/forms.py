"""HTML forms of accounts: sign-up, login, profile settings, password change and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import MAX_LANGUAGES, SUPPORTED_LANGUAGES, User
from haven.core.residency import residency_regions

# Languages are listed by their own names (autonyms), as language pickers usually do.
LANGUAGE_AUTONYMS: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
    "ru": "Русский",
    "it": "Italiano",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "id": "Bahasa Indonesia",
    "ar": "العربية",
}
LANGUAGE_CHOICES = [(code, LANGUAGE_AUTONYMS.get(code, code)) for code in SUPPORTED_LANGUAGES]
INTERFACE_CHOICES = [("en", "English"), ("zh-hans", "简体中文")]

# Errors raised by accounts.services, by code -> the form field they belong to.
ERROR_FIELDS: dict[str, str] = {
    "invalid_username": "username",
    "username_reserved": "username",
    "username_taken": "username",
    "invalid_email": "email",
    "email_taken": "email",
    "weak_password": "password",
    "invalid_display_name": "display_name",
    "invalid_bio": "bio",
    "invalid_languages": "languages",
    "too_many_languages": "languages",
    "invalid_interface_language": "interface_language",
    "invalid_region": "region",
    "wrong_password": "old_password",
    "invalid_token_name": "name",
    "two_factor_invalid": "code",
    "two_factor_required": "code",
    "invalid_passkey_name": "name",
}


def language_label(code: str) -> str:
    """A spoken-language code's display name ("zh" -> "中文")."""
    return LANGUAGE_AUTONYMS.get(code, code)


def _languages_help_text() -> str:
    return gettext("Pick up to %(max)d. We use them to suggest translations.") % {"max": MAX_LANGUAGES}


_languages_help = lazy(_languages_help_text, str)


def _languages_field(required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=_languages_help(),
    )


class SignupForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=30,
        min_length=2,
        help_text=_("2-30 lower-case letters, digits or underscores. People find you at @username."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "pattern": "[a-zA-Z0-9_]{2,30}",
            }
        ),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        help_text=_("At least 8 characters; not a common or all-numeric password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "minlength": "8"}),
    )
    languages = _languages_field()
    interface_language = forms.ChoiceField(
        label=_("Interface language"),
        choices=INTERFACE_CHOICES,
        initial="en",
        widget=forms.RadioSelect,
    )
    data_region = forms.ChoiceField(
        label=_("Where your photos and videos are stored"),
        required=False,
        help_text=_("You can change this later in Settings, Privacy & data."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = residency_regions()
        if len(regions) > 1:  # a choice only where the operator offers more than one region
            field = self.fields["data_region"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = regions
            field.initial = regions[0][0]
        else:
            del self.fields["data_region"]


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(forms.Form):
    avatar = forms.FileField(
        label=_("Profile photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove photo"), required=False)
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    bio = forms.CharField(
        label=_("Bio"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        help_text=_("Up to 500 characters."),
    )
    languages = _languages_field()
    region = forms.CharField(
        label=_("Region"),
        max_length=2,
        required=False,
        help_text=_("Two-letter country or region code, e.g. CN, SG, US."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4, "placeholder": "CN"}),
    )
    interface_language = forms.ChoiceField(
        label=_("Interface language"), choices=INTERFACE_CHOICES, widget=forms.RadioSelect
    )
    is_private = forms.BooleanField(
        label=_("Private account"),
        required=False,
        help_text=_(
            "Only people you approve can follow you and see your notes. "
            "Making your account public approves every pending request."
        ),
    )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "display_name": user.display_name,
            "bio": user.bio,
            "languages": list(user.languages or []),
            "region": user.region,
            "interface_language": user.interface_language,
            "is_private": user.is_private,
        }


class PasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        max_length=128,
        strip=False,
        help_text=_("At least 8 characters; not a common or all-numeric password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "minlength": "8"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("new_password")
            and data.get("new_password2")
            and data["new_password"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("The two new passwords do not match."))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=50,
        help_text=_("Something to recognise it by, e.g. my phone or backup script."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. my phone"), "autocomplete": "off"}),
    )


class RevokeForm(forms.Form):
    token_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)


# ----------------------------------------------------------------------------------------------
# Account security


class SessionRevokeForm(forms.Form):
    session_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "text",
                "autofocus": True,
            }
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasskeyRenameForm(forms.Form):
    passkey_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    name = forms.CharField(label=_("Passkey name"), max_length=50)


class PasskeyRemoveForm(forms.Form):
    passkey_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
