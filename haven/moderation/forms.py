"""Moderation forms: reporting, deciding, appealing, roles and reasons (bounded fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.moderation.models import APPEAL_TEXT_MAX, NOTE_TEXT_MAX, REPORT_TEXT_MAX
from haven.moderation.policy import MAX_SUSPENSION_DAYS


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=40)
    text = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        max_length=REPORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("remove", _("Remove")),
            ("limit", _("Limit reach")),
            ("label", _("Mark as sensitive")),
            ("suspend", _("Suspend the author")),
            ("dismiss", _("Dismiss: nothing wrong")),
        ]
    )
    reason = forms.CharField(max_length=40, required=False)
    suspend_days = forms.IntegerField(min_value=1, max_value=MAX_SUSPENSION_DAYS, required=False)
    note = forms.CharField(max_length=NOTE_TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=0)


class CaseNoteForm(forms.Form):
    text = forms.CharField(max_length=NOTE_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why was this decision wrong?"),
        max_length=APPEAL_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealDecideForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("upheld", _("Uphold")), ("overturned", _("Overturn and restore"))])
    note = forms.CharField(max_length=NOTE_TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=0)


class RoleForm(forms.Form):
    username = forms.CharField(label=_("Member"), max_length=30)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("moderator", _("Moderator")),
            ("operator", _("Operator")),
            ("trusted_reporter", _("Trusted reporter")),
            ("", _("No role")),
        ],
        required=False,
    )
    languages = forms.CharField(label=_("Languages they read (e.g. en, zh)"), max_length=80, required=False)


class ReasonForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    label_en = forms.CharField(label=_("English label"), max_length=80)
    label_zh = forms.CharField(label=_("Chinese label"), max_length=80)
    severity = forms.IntegerField(label=_("Severity (1-5)"), min_value=1, max_value=5)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=10000, initial=100)
    active = forms.BooleanField(label=_("Offered to members"), required=False, initial=True)
