"""Admin of translation: machine-translation providers (with a test button); the cache, read-only."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.core.errors import NotFound
from haven.translation import provider_services
from haven.translation.models import CachedTranslation, ProviderConfig, ProviderKind
from haven.translation.providers import split_pairs

_PAIR_RE = re.compile(r"^(\*|(\*|[a-z]{2,3})-(\*|[a-z]{2,3}))$")


def masked_key(key: str) -> str:
    """An API key as staff may see it again: only its last four characters."""
    if not key:
        return ""
    return "•" * 8 + key[-4:] if len(key) > 8 else "•" * 8


class ProviderConfigForm(forms.ModelForm):  # type: ignore[type-arg]
    api_key = forms.CharField(
        label=gettext_lazy("API key"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    remove_api_key = forms.BooleanField(label=gettext_lazy("Remove the stored key"), required=False)

    class Meta:
        model = ProviderConfig
        fields = [
            "name",
            "kind",
            "enabled",
            "endpoint_url",
            "api_key",
            "remove_api_key",
            "model",
            "model_path",
            "pairs",
            "codes",
            "priority",
            "trusted_local",
            "allowed_for_private_content",
            "version",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.api_key if self.instance and self.instance.pk else ""
        field = self.fields["api_key"]
        if stored:
            field.help_text = _("A key is stored (%(masked)s). Leave empty to keep it.") % {
                "masked": masked_key(stored)
            }
        else:
            field.help_text = _("Stored on the server and never shown again.")

    def clean_pairs(self) -> str:
        pairs = split_pairs(self.cleaned_data.get("pairs") or "")
        bad = [p for p in pairs if not _PAIR_RE.match(p)]
        if bad or not pairs:
            raise ValidationError(
                _("Write pairs as base codes: “zh-en, en-zh”, “zh-*” or “*” (not: %(bad)s).")
                % {"bad": ", ".join(bad[:5]) or "—"}
            )
        return ", ".join(pairs)

    def clean_codes(self) -> Any:
        codes = self.cleaned_data.get("codes") or {}
        if not isinstance(codes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) <= 16 and len(v) <= 16
            for k, v in codes.items()
        ):
            raise ValidationError(_('Language codes must be an object such as {"zh": "zh-Hans"}.'))
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, url, path_ = data.get("kind"), (data.get("endpoint_url") or "").strip(), data.get("model_path")
        if kind in (ProviderKind.LIBRETRANSLATE, ProviderKind.OPENAI):
            if not re.match(r"^https?://[^\s/]+", url):
                self.add_error("endpoint_url", _("An http:// or https:// address is needed for this kind."))
        elif kind == ProviderKind.CTRANSLATE2 and not path_:
            self.add_error("model_path", _("A model folder is needed for a local model."))
        data["endpoint_url"] = url
        return data

    def save(self, commit: bool = True) -> ProviderConfig:
        instance: ProviderConfig = super().save(commit=False)
        if self.cleaned_data.get("remove_api_key"):
            instance.api_key = ""
        elif not self.cleaned_data.get("api_key") and instance.pk:
            instance.api_key = (
                ProviderConfig.objects.filter(pk=instance.pk).values_list("api_key", flat=True).first() or ""
            )
        return instance


@admin.register(ProviderConfig)
class ProviderConfigAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProviderConfigForm
    change_form_template = "translation/admin/provider_change_form.html"
    list_display = (
        "name",
        "kind",
        "pairs",
        "enabled",
        "allowed_for_private_content",
        "priority",
        "key_shown",
    )
    list_filter = ("kind", "enabled", "allowed_for_private_content")
    list_editable = ()
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "enabled", "priority")}),
        (
            gettext_lazy("Where it runs"),
            {"fields": ("endpoint_url", "api_key", "remove_api_key", "model", "model_path", "trusted_local")},
        ),
        (
            gettext_lazy("What it translates"),
            {"fields": ("pairs", "codes", "allowed_for_private_content", "version")},
        ),
    )

    @admin.display(description=gettext_lazy("API key"))
    def key_shown(self, obj: ProviderConfig) -> str:
        return masked_key(obj.api_key) or "—"

    def save_model(self, request: HttpRequest, obj: ProviderConfig, form: Any, change: bool) -> None:
        provider_services.provider_config_save(config=obj)

    def delete_model(self, request: HttpRequest, obj: ProviderConfig) -> None:
        provider_services.provider_config_delete(config_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProviderConfig]) -> None:
        for pk in list(queryset.values_list("pk", flat=True)):
            provider_services.provider_config_delete(config_id=pk)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:object_id>/test/",
                self.admin_site.admin_view(self.test_view),
                name="translation_providerconfig_test",
            )
        ]
        return own + super().get_urls()  # type: ignore[return-value]

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST: translate a short sample through the provider and report the outcome as a message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        try:
            result = provider_services.provider_test(config_id=object_id)
        except NotFound:
            raise Http404 from None
        if result.ok:
            messages.success(
                request,
                _("Test passed in %(ms)d ms (%(source)s → %(target)s): “%(sample)s” → “%(output)s”")
                % {
                    "ms": result.latency_ms,
                    "source": result.source,
                    "target": result.target,
                    "sample": result.sample,
                    "output": result.output,
                },
            )
        else:
            messages.error(
                request,
                _("Test failed after %(ms)d ms: %(code)s — %(message)s")
                % {"ms": result.latency_ms, "code": result.code, "message": result.message},
            )
        return HttpResponseRedirect(reverse("admin:translation_providerconfig_change", args=[object_id]))


@admin.register(CachedTranslation)
class CachedTranslationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "source_lang", "target_lang", "provider", "hits", "last_used_at")
    list_filter = ("source_lang", "target_lang", "provider")
    readonly_fields = [f.name for f in CachedTranslation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
