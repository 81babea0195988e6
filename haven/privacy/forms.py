"""Forms of the privacy center: every field bounded."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DeleteAccountForm(ReauthForm):
    confirm = forms.BooleanField(
        label=_("I understand that after 30 days my account and everything I posted are erased for good."),
        required=True,
    )


class RegionForm(forms.Form):
    region = forms.CharField(max_length=16)
