"""Forms of the translation pages: reading preferences, authors' translations, saving a word."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.translation import aids, aids_services
from haven.translation.aids_selectors import AUTHOR_LANGUAGES


class PreferencesForm(forms.Form):
    auto_translate = forms.BooleanField(
        label=_("Translate automatically"),
        required=False,
        help_text=_(
            "Notes and comments in languages you don't read are translated as soon as you open them."
        ),
    )
    show_pinyin = forms.BooleanField(
        label=_("Show pinyin on Chinese text"),
        required=False,
        help_text=_("Pinyin appears above Chinese notes and comments; tap any word for its meaning."),
    )

    def __init__(self, *args: object, machine: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not machine:  # no provider translates into the reader's language: nothing to do automatically
            del self.fields["auto_translate"]


class AuthorTranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())
    title = forms.CharField(label=_("Title"), max_length=aids_services.TITLE_MAX, required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=aids_services.BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: object, exclude_language: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [
            (code, label) for code, label in AUTHOR_LANGUAGES.items() if code != exclude_language
        ]


class SaveWordForm(forms.Form):
    word = forms.CharField(max_length=aids.MAX_WORD)
    note = forms.IntegerField(required=False, min_value=1, max_value=2**53)
    context = forms.CharField(max_length=aids_services.CONTEXT_MAX, required=False)


class GlossQueryForm(forms.Form):
    word = forms.CharField(max_length=aids.MAX_WORD)
    note = forms.IntegerField(required=False, min_value=1, max_value=2**53)
    context = forms.CharField(max_length=aids_services.CONTEXT_MAX, required=False)
