"""HTML views of onboarding: languages, interests, people, saying hello; as thin as the API endpoints."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.forms import INTERFACE_CHOICES, LANGUAGE_AUTONYMS, LANGUAGE_CHOICES
from haven.accounts.models import MAX_LANGUAGES, User
from haven.core.errors import HavenError
from haven.onboarding import selectors, services, topics
from haven.onboarding.models import OnboardingProgress

Step = OnboardingProgress.Step
STEP_URLS: dict[str, str] = {
    Step.LANGUAGES: "onboarding:languages",
    Step.INTERESTS: "onboarding:interests",
    Step.PEOPLE: "onboarding:people",
    Step.HELLO: "onboarding:hello",
}
# The two language communities Haven is built around come first, then the others.
MAIN_LANGUAGES = ("en", "zh")


class LanguagesForm(forms.Form):
    interface_language = forms.ChoiceField(
        label=gettext_lazy("Haven's language"), choices=INTERFACE_CHOICES, widget=forms.RadioSelect
    )
    reads = forms.MultipleChoiceField(
        label=gettext_lazy("Languages I read"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    learning = forms.MultipleChoiceField(
        label=gettext_lazy("Languages I'm learning"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _step_context(step: str, **extra: Any) -> dict[str, Any]:
    number = services.ORDER.index(step) + 1
    return {
        "step": step,
        "step_number": number,
        "step_count": len(STEP_URLS),
        "steps": [
            {"number": i, "done": i < number, "current": i == number} for i in range(1, len(STEP_URLS) + 1)
        ],
        **extra,
    }


@never_cache
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Resume where the member left off; a member who finished (or skipped) goes to Discover."""
    row = services.progress_start(user=_member(request))
    if row.completed_at is not None:
        return redirect("web:home")
    return redirect(STEP_URLS.get(row.step, "onboarding:languages"))


def _language_options(field: forms.BoundField) -> dict[str, Any]:
    options = list(field)
    main = [o for o in options if o.data["value"] in MAIN_LANGUAGES]
    more = [o for o in options if o.data["value"] not in MAIN_LANGUAGES]
    return {"main": main, "more": more, "more_chosen": any(o.data["selected"] for o in more)}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def languages(request: HttpRequest) -> HttpResponse:
    """Step 1: the interface language, languages the member reads and those they are learning."""
    user = _member(request)
    status = 200
    error = ""
    if request.method == "POST":
        form = LanguagesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.onboarding_languages_set(
                    user=user,
                    reads=data["reads"],
                    learning=data["learning"],
                    interface_language=data["interface_language"],
                )
            except HavenError as exc:
                error, status = exc.message, exc.status
            else:
                response = redirect("onboarding:interests")
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.interface_language, samesite="Lax")
                return response
        else:
            error, status = _("Choose from the languages listed."), 400
    else:
        services.progress_start(user=user)
        form = LanguagesForm(
            initial={
                "interface_language": user.interface_language,
                "reads": list(user.languages or []) or [user.interface_language.split("-")[0]],
                "learning": list(getattr(user, "learning_languages", None) or []),
            }
        )
    context = _step_context(
        Step.LANGUAGES,
        form=form,
        error=error,
        reads=_language_options(form["reads"]),
        learning=_language_options(form["learning"]),
        max_languages=MAX_LANGUAGES,
    )
    return render(request, "onboarding/languages.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    """Step 2: topics with pictures; at least MIN_INTERESTS."""
    user = _member(request)
    status = 200
    error = ""
    picked: set[str] | None = None
    if request.method == "POST":
        raw = request.POST.getlist("topics")[: services.MAX_INTERESTS * 2 + 2]
        try:
            services.onboarding_interests_set(user=user, topics_chosen=raw)
        except HavenError as exc:
            error, status = exc.message, exc.status
            picked = {topics.key_of(str(value).lstrip("#").casefold()) for value in raw}
        else:
            return redirect("onboarding:people")
    choices = selectors.topic_choices(user, interface_language=user.interface_language)
    if picked is not None:
        for choice in choices:
            choice["chosen"] = choice["key"] in picked
    context = _step_context(
        Step.INTERESTS,
        choices=choices,
        error=error,
        min_topics=services.MIN_INTERESTS,
        chosen_count=sum(1 for c in choices if c["chosen"]),
        # A Chinese interface also shows the English name (#咖啡 / #coffee): Latin letters render
        # everywhere, while the curated Chinese names are outside the interface's CJK webfont subset.
        show_other=user.interface_language.startswith("zh"),
    )
    return render(request, "onboarding/interests.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """Step 3: people to follow, one tap each (graph's follow button); Continue moves on."""
    user = _member(request)
    if request.method == "POST":
        services.progress_advance(user=user, step=Step.HELLO)
        return redirect("onboarding:hello")
    suggestions = selectors.people_suggestions(user)
    for person in suggestions:
        person["language_name"] = LANGUAGE_AUTONYMS.get(person["language"], "")
        person["topic_labels"] = [topics.label(key, user.interface_language) for key in person["topics"]]
    context = _step_context(
        Step.PEOPLE,
        suggestions=suggestions,
        same=[p for p in suggestions if not p["other_community"]],
        others=[p for p in suggestions if p["other_community"]],
    )
    return render(request, "onboarding/people.html", context)


@never_cache
@login_required
@require_http_methods(["GET"])
def hello(request: HttpRequest) -> HttpResponse:
    """Step 4: introduce yourself (suggested tags, the composer); a short tour of translation and pinyin."""
    user = _member(request)
    services.progress_advance(user=user, step=Step.HELLO)
    chinese_first = user.interface_language.startswith("zh")
    tags = ["新人报到", "newhere", "hello"] if chinese_first else ["newhere", "新人报到", "hello"]
    chosen = selectors.chosen_topics(user)[:3]
    tags += [topics.label(key, user.interface_language) for key in chosen]
    return render(request, "onboarding/hello.html", _step_context(Step.HELLO, hello_tags=tags))


@login_required
@require_POST
def finish(request: HttpRequest) -> HttpResponse:
    """Done: to Discover, built from the choices."""
    services.onboarding_complete(user=_member(request))
    return redirect("web:home")


@login_required
@require_POST
def skip(request: HttpRequest) -> HttpResponse:
    """Skip the rest: never sent back; choices made so far stay."""
    services.onboarding_complete(user=_member(request), skipped=True)
    messages.info(
        request,
        _("You can set your languages any time in Settings, and follow topics from their pages."),
    )
    return redirect(reverse("web:home"))
