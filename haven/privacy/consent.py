"""Policies (terms, privacy policy) and optional consents: services, selectors and the hooks privacy fills.

Policies: operators edit drafts in the admin and publish them (`policy_publish`); a published version
is never changed again. Members accept each published version (`policy_accept`; at sign-up through
`accounts.hooks.on_user_signed_up`), and `pending_policies` says which current versions a member has
not accepted yet (the middleware asks them again). Both the current versions and each member's
accepted versions are cached, so the check costs one cache round trip per request.

Consents: `consent_set` writes the member's choice and a history event; `consent_granted` (in
haven.core.consent) is answered from a per-member cache filled by `_lookup`.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import consent as core_consent
from haven.core.errors import Conflict, HavenError, InvalidInput, NotFound
from haven.core.sanitize import sanitize
from haven.privacy.models import ConsentChoice, ConsentEvent, PolicyAcceptance, PolicyDocument, Purpose

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = (PolicyDocument.Kind.TERMS, PolicyDocument.Kind.PRIVACY)
CURRENT_KEY = "privacy:policies:current:v1"
CURRENT_TTL = 300  # seconds; publishing invalidates at once, the TTL only bounds a missed invalidation
ACCEPTED_TTL = 24 * 3600
CONSENTS_TTL = 24 * 3600
#: How many versions the history lists (a policy rarely has more).
MAX_HISTORY = 100


class PolicyVersionStale(HavenError):
    """The version a member accepted is no longer the current one (HTTP 409)."""

    status = 409
    code = "policy_version_stale"


# ---------------------------------------------------------------------------------------------
# Cache helpers: a cache that is down must not take pages with it (fall back to the database).


def _cache_get_many(keys: list[str]) -> dict[str, Any]:
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("privacy: cache unavailable, reading from the database")
        return {}


def _cache_set(key: str, value: Any, ttl: int) -> None:
    try:
        cache.set(key, value, ttl)
    except Exception:
        logger.warning("privacy: cache unavailable, could not store %s", key)


def _cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("privacy: cache unavailable, could not invalidate %s", key)


def _accepted_key(user_id: int) -> str:
    return f"privacy:accepted:v1:{user_id}"


def _consents_key(user_id: int) -> str:
    return f"privacy:consents:v1:{user_id}"


# ---------------------------------------------------------------------------------------------
# Policies: selectors


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(_("Unknown policy."), code="unknown_policy", details={"kinds": list(KINDS)})
    return kind


def _current_from_db() -> dict[str, int]:
    current: dict[str, int] = {}
    rows = (
        PolicyDocument.objects.filter(published_at__isnull=False)
        .order_by("kind", "-version")
        .values_list("kind", "version")
    )
    for kind, version in rows:
        current.setdefault(kind, version)
    return current


def current_versions() -> dict[str, int]:
    """The current published version of each policy kind (kinds never published are left out)."""
    found = _cache_get_many([CURRENT_KEY]).get(CURRENT_KEY)
    if found is None:
        found = _current_from_db()
        _cache_set(CURRENT_KEY, found, CURRENT_TTL)
    return dict(found)


def _accepted_from_db(user_id: int) -> dict[str, int]:
    accepted: dict[str, int] = {}
    for kind, version in PolicyAcceptance.objects.filter(user_id=user_id).values_list("kind", "version"):
        accepted[kind] = max(version, accepted.get(kind, 0))
    return accepted


def accepted_versions(user_id: int) -> dict[str, int]:
    """The highest version of each policy the member accepted."""
    key = _accepted_key(user_id)
    found = _cache_get_many([key]).get(key)
    if found is None:
        found = _accepted_from_db(user_id)
        _cache_set(key, found, ACCEPTED_TTL)
    return dict(found)


def pending_policies(user_id: int) -> list[str]:
    """Kinds whose current published version the member has not accepted (one cache round trip)."""
    key = _accepted_key(user_id)
    found = _cache_get_many([CURRENT_KEY, key])
    current = found.get(CURRENT_KEY)
    if current is None:
        current = _current_from_db()
        _cache_set(CURRENT_KEY, current, CURRENT_TTL)
    if not current:
        return []
    accepted = found.get(key)
    if accepted is None:
        accepted = _accepted_from_db(user_id)
        _cache_set(key, accepted, ACCEPTED_TTL)
    return [kind for kind in KINDS if kind in current and accepted.get(kind, 0) < current[kind]]


def policy_current(kind: str) -> PolicyDocument | None:
    """The current published version of `kind`, or None before one is published."""
    return (
        PolicyDocument.objects.filter(kind=_kind(kind), published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def policy_version(kind: str, version: int) -> PolicyDocument:
    """One published version of `kind`; NotFound for drafts and unknown versions."""
    document = PolicyDocument.objects.filter(
        kind=_kind(kind), version=version, published_at__isnull=False
    ).first()
    if document is None:
        raise NotFound(_("There is no such version."), code="policy_not_found")
    return document


def policy_history(kind: str) -> list[PolicyDocument]:
    """Published versions of `kind`, newest first (bounded)."""
    return list(
        PolicyDocument.objects.filter(kind=_kind(kind), published_at__isnull=False)
        .order_by("-version")
        .defer("body_en", "body_zh")[:MAX_HISTORY]
    )


@dataclass(frozen=True)
class PolicyText:
    """A policy version in one language, ready for a page or the API."""

    kind: str
    version: int
    language: str
    title: str
    changes: str
    body: str
    body_html: SafeString
    published_at: datetime | None


def _is_zh(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def policy_text(document: PolicyDocument, language: str | None = None) -> PolicyText:
    """`document` in the reader's language (zh-* -> Chinese, anything else -> English); a missing
    translation falls back to the other language."""
    zh = _is_zh(language if language is not None else get_language())
    title = (document.title_zh if zh else document.title_en) or document.title_en or document.title_zh
    body = (document.body_zh if zh else document.body_en) or document.body_en or document.body_zh
    changes = (document.changes_zh if zh else document.changes_en) or document.changes_en
    return PolicyText(
        kind=document.kind,
        version=document.version,
        language="zh-Hans" if zh else "en",
        title=title,
        changes=changes,
        body=body,
        body_html=render_policy(body),
        published_at=document.published_at,
    )


_LINK_RE = re.compile(r"\[([^\]\n]{1,200})\]\(((?:https?://|mailto:|/)[^)\s]{1,500})\)")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_EM_RE = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text: str) -> str:
    """One line of Markdown-lite (links, **bold**, *emphasis*) as HTML, through core.sanitize."""
    out = html.escape(text, quote=False)
    out = _LINK_RE.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', out)
    out = _BOLD_RE.sub(r"<strong>\1</strong>", out)
    out = _EM_RE.sub(r"<em>\1</em>", out)
    return sanitize(out)


def render_policy(text: str) -> SafeString:
    """Plain text / Markdown-lite as safe HTML: `#`/`##`/`###` headings, `-` or `*` lists, paragraphs
    (blank line between), links, bold, emphasis. Every piece of the operator's text goes through
    core.sanitize; only the block tags around it are made here."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            flush()
            level = min(len(heading.group(1)) + 1, 4)  # "#" -> h2: the page has its own h1
            blocks.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            continue
        bullet = re.match(r"^[-*]\s+(.*)$", line)
        if bullet:
            if paragraph:
                flush()
            items.append(bullet.group(1))
            continue
        if items:
            flush()
        paragraph.append(line)
    flush()
    return mark_safe("\n".join(blocks))  # block tags are ours; all text went through sanitize


# ---------------------------------------------------------------------------------------------
# Policies: services


def invalidate_current() -> None:
    _cache_delete(CURRENT_KEY)


def policy_publish(*, document_id: int) -> PolicyDocument:
    """Publish a draft: it becomes the current version of its kind and members are asked to accept it.

    Refused when the document is already published (`policy_already_published`) or when a newer
    version of the kind is already published (`policy_version_not_newer`).
    """
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            raise NotFound(code="policy_not_found")
        if document.published_at is not None:
            raise Conflict(_("This version is already published."), code="policy_already_published")
        newest = _current_from_db().get(document.kind, 0)
        if document.version <= newest:
            raise Conflict(
                _("A newer version is already published; publish a higher version number."),
                code="policy_version_not_newer",
            )
        if not (document.title_en and document.body_en and document.title_zh and document.body_zh):
            raise InvalidInput(
                _("Fill in the title and text in both languages before publishing."),
                code="policy_incomplete",
            )
        document.published_at = timezone.now()
        document.save(update_fields=["published_at"])
        transaction.on_commit(invalidate_current)
    invalidate_current()
    return document


def policy_new_draft(*, kind: str) -> PolicyDocument:
    """A new draft of `kind`: the next version number, starting from the newest version's texts."""
    kind = _kind(kind)
    with transaction.atomic():
        latest = PolicyDocument.objects.select_for_update().filter(kind=kind).order_by("-version").first()
        if latest is not None and latest.published_at is None:
            return latest  # one draft at a time: keep editing it
        return PolicyDocument.objects.create(
            kind=kind,
            version=(latest.version + 1) if latest else 1,
            title_en=latest.title_en if latest else "",
            title_zh=latest.title_zh if latest else "",
            body_en=latest.body_en if latest else "",
            body_zh=latest.body_zh if latest else "",
        )


def _record_acceptance(user: User, kind: str, version: int) -> None:
    try:
        with transaction.atomic():
            PolicyAcceptance.objects.get_or_create(user=user, kind=kind, version=version)
    except IntegrityError:  # a concurrent accept of the same version
        pass


def _refresh_accepted(user_id: int) -> None:
    _cache_delete(_accepted_key(user_id))


def policy_accept(*, user: User, kind: str, version: int) -> None:
    """Record that `user` accepted `version` of `kind`. Only the current version can be accepted:
    an older one is `policy_version_stale` (409, with the current version), a draft or unknown one
    `policy_not_found`. Idempotent."""
    kind = _kind(kind)
    current = _current_from_db().get(kind)
    if current is None:
        raise NotFound(_("There is no such version."), code="policy_not_found")
    if version != current:
        if 0 < version < current:
            raise PolicyVersionStale(
                _("This version has been replaced; please read and accept the current one."),
                details={"kind": kind, "current_version": current},
            )
        raise NotFound(_("There is no such version."), code="policy_not_found")
    _record_acceptance(user, kind, version)
    transaction.on_commit(lambda: _refresh_accepted(user.pk))
    _refresh_accepted(user.pk)


def policies_accept_current(user: User) -> list[tuple[str, int]]:
    """Accept every current published version (sign-up; the "We've updated our terms" page).
    Returns what was accepted."""
    accepted = []
    for kind, version in _current_from_db().items():
        _record_acceptance(user, kind, version)
        accepted.append((kind, version))
    transaction.on_commit(lambda: _refresh_accepted(user.pk))
    _refresh_accepted(user.pk)
    return accepted


def policies_accept(*, user: User, versions: dict[str, int]) -> None:
    """Accept several policies at once (the re-ask page posts the versions it showed)."""
    for kind in KINDS:
        if kind in versions:
            policy_accept(user=user, kind=kind, version=versions[kind])


# ---------------------------------------------------------------------------------------------
# Consents


#: What each optional purpose means, shown beside its toggle.
PURPOSE_HELP = {
    core_consent.PERSONALISED_RECOMMENDATIONS: gettext_lazy(
        "Discover favours notes in the languages you read and pushes down notes you have already seen. "
        "Off: Discover is ranked the same way for everyone, without your languages or viewing history."
    ),
    core_consent.EXTERNAL_TRANSLATION: gettext_lazy(
        "Readers may have your notes and comments translated by an outside translation service this "
        "server uses. Off: only translation running on this server itself is used for your texts."
    ),
    core_consent.MARKETING_EMAIL: gettext_lazy(
        "News about this server and offers by e-mail. This server sends no such e-mail yet; your choice "
        "is kept for when it does."
    ),
}


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    help: str
    granted: bool
    is_default: bool
    default: bool
    changed_at: datetime | None


def _purpose(purpose: str) -> str:
    if purpose not in core_consent.DEFAULTS:
        raise InvalidInput(
            _("Unknown consent."), code="unknown_purpose", details={"purposes": list(core_consent.DEFAULTS)}
        )
    return purpose


def _choices_from_db(user_id: int) -> dict[str, bool]:
    return dict(ConsentChoice.objects.filter(user_id=user_id).values_list("purpose", "granted"))


def _choices(user_id: int) -> dict[str, bool]:
    key = _consents_key(user_id)
    found = _cache_get_many([key]).get(key)
    if found is None:
        found = _choices_from_db(user_id)
        _cache_set(key, found, CONSENTS_TTL)
    return dict(found)


def _lookup(user_id: int, purpose: str) -> bool:
    """haven.core.consent's lookup: the member's choice, else the purpose's default (cached)."""
    return _choices(user_id).get(purpose, core_consent.DEFAULTS[purpose])


def _refused_among(user_ids: list[int], purpose: str) -> set[int]:
    """haven.core.consent's bulk lookup: one query for many members."""
    ids = list(dict.fromkeys(int(i) for i in user_ids))[:10_000]
    if core_consent.DEFAULTS[purpose]:
        return set(
            ConsentChoice.objects.filter(user_id__in=ids, purpose=purpose, granted=False).values_list(
                "user_id", flat=True
            )
        )
    granted = set(
        ConsentChoice.objects.filter(user_id__in=ids, purpose=purpose, granted=True).values_list(
            "user_id", flat=True
        )
    )
    return set(ids) - granted


def consent_states(user: User) -> list[ConsentState]:
    """Every optional purpose with the member's current choice (or its default), in a fixed order."""
    rows = {c.purpose: c for c in ConsentChoice.objects.filter(user_id=user.pk)}
    labels = dict(Purpose.choices)
    states = []
    for purpose, default in core_consent.DEFAULTS.items():
        row = rows.get(purpose)
        states.append(
            ConsentState(
                purpose=purpose,
                label=str(labels.get(purpose, purpose)),
                help=str(PURPOSE_HELP.get(purpose, "")),
                granted=row.granted if row else default,
                is_default=row is None,
                default=default,
                changed_at=row.changed_at if row else None,
            )
        )
    return states


def consent_set(*, user: User, purpose: str, granted: bool) -> ConsentState:
    """Set the member's choice for `purpose`; a change (not a repeat) leaves a ConsentEvent."""
    purpose = _purpose(purpose)
    with transaction.atomic():
        row = ConsentChoice.objects.select_for_update().filter(user_id=user.pk, purpose=purpose).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ConsentChoice.objects.create(user=user, purpose=purpose, granted=granted)
            except IntegrityError:  # a concurrent first choice
                row = ConsentChoice.objects.select_for_update().get(user_id=user.pk, purpose=purpose)
                if row.granted != granted:
                    row.granted = granted
                    row.save(update_fields=["granted", "changed_at"])
            ConsentEvent.objects.create(user=user, purpose=purpose, granted=granted)
        elif row.granted != granted:
            row.granted = granted
            row.save(update_fields=["granted", "changed_at"])
            ConsentEvent.objects.create(user=user, purpose=purpose, granted=granted)
        transaction.on_commit(lambda: _cache_delete(_consents_key(user.pk)))
    _cache_delete(_consents_key(user.pk))
    return next(s for s in consent_states(user) if s.purpose == purpose)


def consents_set(*, user: User, choices: Iterable[tuple[str, bool]]) -> list[ConsentState]:
    """Set several choices (the API's PUT); unknown purposes are refused before anything is written."""
    pairs = [(_purpose(p), bool(g)) for p, g in choices]
    with transaction.atomic():
        for purpose, granted in pairs:
            consent_set(user=user, purpose=purpose, granted=granted)
    return consent_states(user)


# ---------------------------------------------------------------------------------------------
# Registration (called from PrivacyConfig.ready())


def _on_signed_up(user: User) -> None:
    policies_accept_current(user)


def register_hooks() -> None:
    """Fill the hooks lower apps call: the consent lookup, the staff access recorder, sign-up acceptance."""
    from haven.accounts import hooks as account_hooks
    from haven.core import staff_audit
    from haven.privacy.staff_access import staff_access_record

    def record(**kwargs: Any) -> None:
        staff_access_record(**kwargs)

    core_consent.register_lookup(_lookup, _refused_among)
    staff_audit.register_recorder(record)
    account_hooks.on_user_signed_up(_on_signed_up)
