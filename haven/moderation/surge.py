"""Surge defences: new-account limits, sign-up velocity, blocked link domains, near-duplicate clusters.

Documented for operators in docs/moderation-surge.md (defaults, what surge mode changes, the drill).

- `gate` (core.gates): accounts younger than HAVEN_SURGE_NEW_ACCOUNT_DAYS may publish, comment and
  follow so many times per hour ("new_account_limit"); web and API sign-ups are counted per network
  (/24, /64) and per e-mail domain, big providers exempt ("signup_velocity").
- `screen` (from scoring.score_content, after commit, for every new or edited note and comment): a
  link to a blocked domain (or a subdomain) holds the post; new accounts' posts get a MinHash
  fingerprint (character shingles of the normalised text, LSH bands stored in the database so every
  worker sees them) and their links; when enough distinct new accounts posted near-duplicates or the
  same link within the window, the posts are collapsed into one ContentCluster, reviewed as ONE held
  case (reportable kind "cluster"). Posts joining a cluster later follow its case: held while it is
  open, removed (or limited) once it was actioned, left alone once it was dismissed.
- Surge mode (one switch, audited) tightens every limit at once and holds new accounts' posts with
  links for review.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.db.models import Count, Min, Q
from django.tasks import task
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haven.core import gates, personal_data, ratelimit, reportables
from haven.core.errors import InvalidInput, RateLimited
from haven.core.reportables import ModerationState
from haven.core.text import base_language
from haven.core.transactions import after_commit
from haven.moderation import access, services
from haven.moderation.models import (
    BlockedDomain,
    Case,
    ClusterItem,
    ContentCluster,
    SignupEvent,
    SurgeBand,
    SurgeFingerprint,
    SurgeMode,
)
from haven.moderation.states import OPEN_STATES

logger = logging.getLogger(__name__)

#: MinHash permutations, and LSH bands x rows (16 x 8 = 128): pairs at Jaccard 0.8 share a band with
#: probability 0.95, at 0.5 with 0.06; every candidate is then checked against the full signature.
NUM_PERM = 128
BANDS, ROWS = 16, 8
MINHASH_SEED = 20240611
#: Text shorter than this (CJK characters count twice) gets no text fingerprint: short phrases
#: ("So pretty!", "好看") are said by many people and are no evidence of a campaign.
MIN_TEXT_WEIGHT = 40
#: Candidates examined per post, and fingerprints read when a component is counted.
MAX_CANDIDATES = 2000
MAX_COMPONENT = 1000
#: Sign-up events are kept this long for the dashboard.
SIGNUP_EVENT_DAYS = 2
#: Blocked domains an operator may list.
MAX_BLOCKED_DOMAINS = 10_000
MODE_CACHE_KEY = "surge:mode"
MODE_CACHE_SECONDS = 30
SURGE_REASON = "spam"
BLOCKED_REASON = "scam"

_ACTIONS_PER_HOUR = {
    "note_publish": "notes_per_hour",
    "comment_create": "comments_per_hour",
    "follow": "follows_per_hour",
}


# ----------------------------------------------------------------------------------------------
# Limits and surge mode


@dataclass(frozen=True)
class Limits:
    """The limits in force (normal or surge mode)."""

    surge: bool
    new_account_days: int
    notes_per_hour: int
    comments_per_hour: int
    follows_per_hour: int
    signups_per_network_per_hour: int
    signups_per_domain_per_hour: int
    duplicate_accounts: int
    duplicate_similarity: float
    window_hours: int
    hold_new_account_links: bool


def limits(*, surge: bool | None = None) -> Limits:
    """The limits in force now (`surge` None), or those of normal (False) or surge mode (True)."""
    s = settings.HAVEN
    on = mode_active() if surge is None else surge
    factor = s.surge_mode_factor if on else 1.0

    def tight(value: int) -> int:
        return max(1, math.ceil(value * factor))

    return Limits(
        surge=on,
        new_account_days=s.surge_new_account_days * (2 if on else 1),
        notes_per_hour=tight(s.surge_new_notes_per_hour),
        comments_per_hour=tight(s.surge_new_comments_per_hour),
        follows_per_hour=tight(s.surge_new_follows_per_hour),
        signups_per_network_per_hour=tight(s.surge_signups_per_network_per_hour),
        signups_per_domain_per_hour=tight(s.surge_signups_per_domain_per_hour),
        duplicate_accounts=min(s.surge_duplicate_accounts, s.surge_mode_duplicate_accounts)
        if on
        else s.surge_duplicate_accounts,
        duplicate_similarity=s.surge_duplicate_similarity,
        window_hours=s.surge_window_hours,
        hold_new_account_links=on,
    )


def mode() -> SurgeMode:
    row, _created = SurgeMode.objects.get_or_create(pk=1)
    return row


def mode_active() -> bool:
    """Whether surge mode is on (cached for MODE_CACHE_SECONDS; every process sees a switch within that)."""
    value = django_cache.get(MODE_CACHE_KEY)
    if value is None:
        value = SurgeMode.objects.filter(pk=1, active=True).exists()
        django_cache.set(MODE_CACHE_KEY, value, MODE_CACHE_SECONDS)
    return bool(value)


def surge_mode_set(*, operator: Any, active: bool, reason: str = "") -> SurgeMode:
    """Switch surge mode on or off (operators); audited."""
    access.require_operator(operator)
    note = (reason or "").replace("\x00", "").strip()
    if len(note) > 200:
        raise InvalidInput(
            _("That text is too long (at most %(limit)d characters).") % {"limit": 200},
            code="reason_too_long",
            details={"max_length": 200},
        )
    with transaction.atomic():
        row = SurgeMode.objects.select_for_update().filter(pk=1).first() or SurgeMode.objects.create(pk=1)
        changed = row.active != bool(active)
        row.active = bool(active)
        row.reason = note
        if changed:
            row.changed_at = timezone.now()
        row.save()
        services.audit(
            actor=operator,
            action="surge.mode",
            target_kind="surge",
            active=bool(active),
            changed=changed,
            reason=note,
        )
    django_cache.set(MODE_CACHE_KEY, bool(active), MODE_CACHE_SECONDS)
    after_commit(django_cache.set, MODE_CACHE_KEY, bool(active), MODE_CACHE_SECONDS)
    return row


# ----------------------------------------------------------------------------------------------
# The gate (core.gates): new accounts and sign-up velocity


def is_new_account(user: Any, *, days: int | None = None) -> bool:
    """Whether `user` joined less than `days` (default: the limits in force) days ago."""
    days = limits().new_account_days if days is None else days
    joined = getattr(user, "date_joined", None)
    return bool(days and joined and timezone.now() - joined < timedelta(days=days))


def _in_last_hour(rows: Any, field: str) -> tuple[int, int]:
    """(how many of `rows` have `field` in the last hour, seconds until the oldest of them leaves it)."""
    now = timezone.now()
    found = rows.filter(**{f"{field}__gte": now - timedelta(hours=1)}).aggregate(
        n=Count("pk"), first=Min(field)
    )
    first = found["first"]
    retry = int((first + timedelta(hours=1) - now).total_seconds()) + 1 if first else 1
    return int(found["n"]), max(1, retry)


def _recent_actions(action: str, user_id: int) -> tuple[int, int]:
    """What a member did in the last hour, counted from the rows themselves (a sliding window that
    every process sees; refused attempts do not count)."""
    if action == "note_publish":
        from haven.notes.models import Note

        return _in_last_hour(
            Note.objects.filter(author_id=user_id, status=Note.Status.PUBLISHED), "published_at"
        )
    if action == "comment_create":
        from haven.engagement.models import Comment

        return _in_last_hour(Comment.objects.filter(author_id=user_id), "created_at")
    from haven.graph.models import Follow, FollowRequest

    counted = [
        _in_last_hour(Follow.objects.filter(follower_id=user_id), "created_at"),
        _in_last_hour(FollowRequest.objects.filter(requester_id=user_id), "created_at"),
    ]
    waits = [retry for n, retry in counted if n]
    return sum(n for n, _retry in counted), min(waits) if waits else 1


def _limit_message(action: str, limit: int) -> str:
    if action == "note_publish":
        text = ngettext(
            "New accounts can publish %(limit)d note an hour in their first days. Please try again later.",
            "New accounts can publish %(limit)d notes an hour in their first days. Please try again later.",
            limit,
        )
    elif action == "comment_create":
        text = ngettext(
            "New accounts can write %(limit)d comment an hour in their first days. Please try again later.",
            "New accounts can write %(limit)d comments an hour in their first days. Please try again later.",
            limit,
        )
    else:
        text = ngettext(
            "New accounts can follow %(limit)d account an hour in their first days. Please try again later.",
            "New accounts can follow %(limit)d accounts an hour in their first days. Please try again later.",
            limit,
        )
    return text % {"limit": limit}


def gate(*, action: str, user: Any = None, request: Any = None, **facts: Any) -> None:
    """core.gates gate: refuses with RateLimited "new_account_limit" or "signup_velocity"."""
    if action == "signup":
        if request is not None:  # sign-ups from scripts and commands are not counted
            _signup_velocity(request, str(facts.get("email_domain") or ""))
        return
    field = _ACTIONS_PER_HOUR.get(action)
    if field is None or user is None or not getattr(user, "pk", None):
        return
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return
    current = limits()
    if not is_new_account(user, days=current.new_account_days):
        return
    limit = int(getattr(current, field))
    done, retry = _recent_actions(action, int(user.pk))
    if done >= limit:
        raise RateLimited(
            _limit_message(action, limit),
            code="new_account_limit",
            details={"limit": limit, "retry_after_seconds": retry},
        )


def domain_exempt(domain: str) -> bool:
    return matches_domain(domain, settings.HAVEN.surge_exempt_email_domains)


def _signup_velocity(request: Any, domain: str) -> None:
    """Sign-ups in the last hour per network and per e-mail domain, counted from SignupEvent rows (a
    sliding window in the database, shared by every web process; refused attempts do not count)."""
    current = limits()
    network = ratelimit.network_of(ratelimit.client_ip(request))[:64]
    domain = domain.strip().lower()[:253]
    accepted = SignupEvent.objects.filter(refused="")
    refused = ""
    count, retry = _in_last_hour(accepted.filter(network=network), "at")
    if count >= current.signups_per_network_per_hour:
        refused = "network"
    elif domain and not domain_exempt(domain):
        count, retry = _in_last_hour(accepted.filter(domain=domain), "at")
        if count >= current.signups_per_domain_per_hour:
            refused = "domain"
    SignupEvent.objects.create(network=network, domain=domain, refused=refused)
    if refused == "network":
        raise RateLimited(
            _("Too many accounts were created from your network recently. Please try again later."),
            code="signup_velocity",
            details={"retry_after_seconds": retry, "scope": "network"},
        )
    if refused == "domain":
        raise RateLimited(
            _(
                "Too many accounts were created with addresses at this e-mail domain recently. "
                "Please try again later, or use another address."
            ),
            code="signup_velocity",
            details={"retry_after_seconds": retry, "scope": "domain"},
        )


# ----------------------------------------------------------------------------------------------
# Links and domains

_DEOBFUSCATE = [
    (re.compile(r"\s*[\[\(\{]\s*(?:\.|dot)\s*[\]\)\}]\s*", re.I), "."),  # example[.]com, example(dot)com
    (re.compile(r"(?<=[a-z0-9])[。｡](?=[a-z0-9])", re.I), "."),  # ideographic full stop between labels
    (re.compile(r"\bhxxp", re.I), "http"),
]
_LINK_RE = re.compile(
    r"""
    (?<![a-z0-9.@_-])
    (?:(?P<scheme>https?)://|(?P<www>www\.))?
    (?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?P<tld>[a-z]{2,24}|xn--[a-z0-9-]{1,59}))
    (?![a-z0-9-])
    (?::\d{1,5})?
    (?P<path>/[A-Za-z0-9\-._~%!$&*+,;=:@/]*)?
    (?P<rest>[?#][A-Za-z0-9\-._~%!$&*+,;=:@/?#]*)?
    """,
    re.I | re.X,
)
#: Top-level domains accepted for bare names without a path ("scam.top"); with a path ("x.example/y")
#: any top-level domain is.
_TLDS = (
    "com net org info biz xyz top io co me ly cc tv app dev site online shop store club vip live link "
    "click fun icu win bid loan work today life world pro asia mobi name cn hk tw uk us ru in de jp kr "
    "sg my ph vn th id tk ml ga cf gq pw su ws gg to cx la im lol quest cfd sbs rest bond cyou buzz "
    "monster uno host space website tech fit rocks guru email digital network finance money cash loans "
    "casino bet poker games chat social news ltd group company global one zone run best cool ink art "
    "blog page wiki design studio store tokyo ai gg eu ca au nz fr es it nl br mx tr ir pk ng za"
)
COMMON_TLDS = frozenset(_TLDS.split())


@dataclass(frozen=True)
class Link:
    host: str  # lower case, no "www.", no trailing dot
    path: str  # without query and fragment, no trailing slash

    @property
    def target(self) -> str:
        return f"{self.host}{self.path}"


def _normalise_for_links(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "")[:20_000]
    for pattern, replacement in _DEOBFUSCATE:
        value = pattern.sub(replacement, value)
    return value


def extract_links(text: str, *, limit: int = 50) -> list[Link]:
    """Links in member text: with a scheme, "www.", or bare ("bit.ly/x", "scam.top"), deduplicated."""
    found: list[Link] = []
    seen: set[str] = set()
    for match in _LINK_RE.finditer(_normalise_for_links(text)):
        host = match.group("host").lower().rstrip(".")
        tld = match.group("tld").lower()
        path = (match.group("path") or "").rstrip(".,;:!?*~'\"").rstrip("/")
        bare = not (match.group("scheme") or match.group("www"))
        if bare and tld not in COMMON_TLDS and not path:
            continue
        if host.startswith("www."):
            host = host[4:]
        if "." not in host:
            continue
        link = Link(host=host, path=path[:300])
        if link.target not in seen:
            seen.add(link.target)
            found.append(link)
            if len(found) >= limit:
                break
    return found


def parents(host: str) -> list[str]:
    """ "a.b.example.com" -> ["a.b.example.com", "b.example.com", "example.com"] (no bare TLD)."""
    labels = host.lower().strip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [host]


def matches_domain(host: str, domains: Iterable[str]) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one."""
    wanted = set(domains)
    return any(p in wanted for p in parents(host))


_DOMAIN_RE = re.compile(
    r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$"
)


def clean_domain(value: str) -> str:
    """An operator's input ("https://www.Scam.example/x", "例子.中国") as a lower-case IDNA domain."""
    text = unicodedata.normalize("NFKC", (value or "").strip()).lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = re.split(r"[/?#:\s]", text, maxsplit=1)[0].strip(".")
    if text.startswith("www."):
        text = text[4:]
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        text = ""
    if not _DOMAIN_RE.match(text):
        raise InvalidInput(_("Enter a domain name such as example.com."), code="invalid_domain")
    return text


def blocked_domain_add(*, operator: Any, domain: str, reason: str = "") -> BlockedDomain:
    """Block a link domain and its subdomains (operators); audited. Idempotent."""
    access.require_operator(operator)
    name = clean_domain(domain)
    note = (reason or "").replace("\x00", "").strip()[:200]
    if (
        not BlockedDomain.objects.filter(domain=name).exists()
        and BlockedDomain.objects.count() >= MAX_BLOCKED_DOMAINS
    ):
        raise InvalidInput(
            _("The blocklist is full (%(max)d domains).") % {"max": MAX_BLOCKED_DOMAINS},
            code="blocklist_full",
        )
    row, created = BlockedDomain.objects.get_or_create(domain=name, defaults={"reason": note})
    services.audit(
        actor=operator, action="surge.block_domain", target_kind="domain", domain=name, created=created
    )
    return row


def blocked_domain_remove(*, operator: Any, domain_id: Any) -> bool:
    """Unblock a domain (operators); audited."""
    access.require_operator(operator)
    try:
        pk = int(domain_id)
    except (TypeError, ValueError):
        return False
    row = BlockedDomain.objects.filter(pk=pk).first()
    if row is None:
        return False
    row.delete()
    services.audit(actor=operator, action="surge.unblock_domain", target_kind="domain", domain=row.domain)
    return True


def blocked_hosts(links: Iterable[Link]) -> list[str]:
    """The blocked domains that `links` point into (a subdomain matches its parent)."""
    candidates = {p for link in links for p in parents(link.host)}
    if not candidates:
        return []
    return sorted(
        BlockedDomain.objects.filter(domain__in=sorted(candidates)).values_list("domain", flat=True)
    )


def allowlisted(host: str) -> bool:
    own = [h.lower().lstrip(".") for h in settings.HAVEN.allowed_hosts if h and h != "*" and "." in h]
    return matches_domain(host, [*settings.HAVEN.surge_link_allowlist, *own])


# ----------------------------------------------------------------------------------------------
# Fingerprints: normalised text, character shingles, MinHash, LSH bands

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SPACE_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"[a-z0-9_.]*[0-9][a-z0-9_.]*")
_URLISH_RE = _LINK_RE


def _url_to_domain(match: re.Match[str]) -> str:
    host = match.group("host").lower()
    return " " + (host[4:] if host.startswith("www.") else host) + " "


def normalise(text: str) -> str:
    """NFKC, case-folded, links replaced by their domain, only letters, digits and single spaces
    (emoji, punctuation and symbols dropped); spaces dropped entirely in CJK text."""
    value = _normalise_for_links(text)
    value = _URLISH_RE.sub(_url_to_domain, value).casefold()
    kept = []
    for ch in value:
        category = unicodedata.category(ch)
        if category[0] in "LNM" or ch == ".":
            kept.append(ch)
        else:
            kept.append(" ")
    value = _SPACE_RE.sub(" ", "".join(kept)).strip()
    value = re.sub(r"(?<![a-z0-9])\.|\.(?![a-z0-9])", "", value)  # dots only inside domains/numbers
    value = _DIGITS_RE.sub("0", value)  # "abc123", "48", "0.2": templates vary ids and amounts
    if _is_cjk(value):
        value = value.replace(" ", "")
    return value


def _is_cjk(value: str) -> bool:
    letters = sum(1 for ch in value if ch.isalpha())
    return bool(letters) and len(_CJK_RE.findall(value)) * 3 >= letters


def text_weight(value: str) -> int:
    return len(value.replace(" ", "")) + len(_CJK_RE.findall(value))


def shingles(value: str) -> list[bytes]:
    """Character shingles of normalised text: 5 characters, 2 in CJK text (a word is 1-2 characters)."""
    size = 2 if _is_cjk(value) else 5
    if len(value) <= size:
        return [value.encode()]
    return list({value[i : i + size].encode() for i in range(len(value) - size + 1)})


@cache
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme="affine32").permutations


def signature(text: str) -> np.ndarray | None:
    """The MinHash of `text` (uint32 x NUM_PERM), or None when it is too short to be evidence."""
    value = normalise(text)
    if text_weight(value) < MIN_TEXT_WEIGHT:
        return None
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme="affine32", permutations=_permutations())
    mh.update_batch(shingles(value))
    return np.asarray(mh.hashvalues, dtype="<u4")


def similarity(a: np.ndarray | bytes, b: np.ndarray | bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    x = np.frombuffer(a, dtype="<u4") if isinstance(a, bytes | memoryview) else a
    y = np.frombuffer(b, dtype="<u4") if isinstance(b, bytes | memoryview) else b
    if len(x) != len(y) or not len(x):
        return 0.0
    return float(np.count_nonzero(x == y)) / len(x)


def _key(prefix: bytes, payload: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(prefix + payload, digest_size=8).digest(), "big", signed=True)


def band_keys(sig: np.ndarray) -> list[int]:
    data = np.asarray(sig, dtype="<u4")
    return [_key(b"B" + bytes([i]), data[i * ROWS : (i + 1) * ROWS].tobytes()) for i in range(BANDS)]


def link_key(link: Link) -> int:
    return _key(b"L", link.target.encode())


# ----------------------------------------------------------------------------------------------
# Screening new content (scoring.score_content calls `screen` before the classifiers)


def screen(*, kind: str, pk: int, target: reportables.Target) -> dict[str, Any] | None:
    """Surge checks of one new or edited note or comment. Returns the decision when the post was held
    or removed (scoring then stops), None when the classifiers should go on."""
    if kind not in ("note", "comment") or not target.author_id:
        return None
    author_id = int(target.author_id)
    links = extract_links(target.text)
    blocked = blocked_hosts(links) if links else []
    if blocked:
        return _blocked_domain(kind=kind, pk=pk, author_id=author_id, target=target, domain=blocked[0])
    from haven.accounts.models import User

    current = limits()
    joined = User.objects.filter(pk=author_id).values_list("date_joined", "is_staff").first()
    if joined is None or joined[1] or not joined[0]:
        return None
    if timezone.now() - joined[0] >= timedelta(days=current.new_account_days):
        return None
    countable = [link for link in links if not allowlisted(link.host)]
    decided = _fingerprint(
        kind=kind, pk=pk, author_id=author_id, target=target, links=countable, current=current
    )
    if decided is not None:
        return decided
    if current.hold_new_account_links and countable:
        case = services.case_flag(
            kind=kind,
            target_id=pk,
            source=Case.Source.SURGE,
            reason=SURGE_REASON,
            hold=True,
            detail="new_account_link",
        )
        return {
            "decision": "hold",
            "source": "surge",
            "rule": "new_account_link",
            "case_id": case.pk if case else None,
        }
    return None


def _fingerprint(
    *, kind: str, pk: int, author_id: int, target: reportables.Target, links: list[Link], current: Limits
) -> dict[str, Any] | None:
    sig = signature(target.text)
    links_keys = sorted({link_key(link) for link in links})
    with transaction.atomic():
        SurgeFingerprint.objects.filter(item_kind=kind, item_pk=pk).delete()  # re-scored after an edit
        if sig is None and not links_keys:
            return None
        now = timezone.now()
        since = now - timedelta(hours=current.window_hours)
        fp = SurgeFingerprint.objects.create(
            item_kind=kind,
            item_pk=pk,
            author_id=author_id,
            created_at=now,
            language=base_language(target.language),
            signature=sig.tobytes() if sig is not None else None,
        )
        bands = band_keys(sig) if sig is not None else []
        SurgeBand.objects.bulk_create(
            [SurgeBand(fingerprint=fp, key=k, created_at=now) for k in bands]
            + [SurgeBand(fingerprint=fp, key=k, is_link=True, created_at=now) for k in links_keys]
        )
        hits = list(
            SurgeBand.objects.filter(key__in=bands + links_keys, created_at__gte=since)
            .exclude(fingerprint=fp)
            .order_by("-created_at")
            .values_list("fingerprint_id", "is_link")[:MAX_CANDIDATES]
        )
        by_link = {fid for fid, is_link in hits if is_link}
        candidates = SurgeFingerprint.objects.filter(pk__in={fid for fid, _link in hits}).only(
            "pk", "author_id", "signature", "component", "cluster_id", "item_kind", "item_pk", "language"
        )
        matched = [
            c
            for c in candidates
            if c.pk in by_link
            or (
                sig is not None
                and c.signature is not None
                and similarity(sig, bytes(c.signature)) >= current.duplicate_similarity
            )
        ]
        if not matched:
            SurgeFingerprint.objects.filter(pk=fp.pk).update(component=fp.pk)
            return None
        components = {c.component or c.pk for c in matched}
        root = min(components | {fp.pk})
        SurgeFingerprint.objects.filter(component__in=sorted(components - {root})).update(component=root)
        SurgeFingerprint.objects.filter(pk__in=[c.pk for c in matched if not c.component]).update(
            component=root
        )
        SurgeFingerprint.objects.filter(pk=fp.pk).update(component=root)
        fp.component = root
        list(SurgeFingerprint.objects.select_for_update().filter(pk=root))  # one decision per component
        rule = ContentCluster.Rule.SAME_LINK if by_link & {c.pk for c in matched} else None
        clustered = sorted({c.cluster_id for c in matched if c.cluster_id})
        if clustered:
            cluster = ContentCluster.objects.get(pk=clustered[0])
            members = [fp, *[c for c in matched if not c.cluster_id]]
        else:
            members = list(
                SurgeFingerprint.objects.filter(component=root, created_at__gte=since).order_by("pk")[
                    :MAX_COMPONENT
                ]
            )
            existing = sorted({m.cluster_id for m in members if m.cluster_id})
            if existing:
                cluster = ContentCluster.objects.get(pk=existing[0])
                members = [m for m in members if not m.cluster_id]
            elif len({m.author_id for m in members}) < current.duplicate_accounts:
                return None
            else:
                languages = Counter(m.language for m in members if m.language != "und")
                domains = Counter(link.host for link in links)
                cluster = ContentCluster.objects.create(
                    rule=rule or ContentCluster.Rule.NEAR_DUPLICATE,
                    domain=domains.most_common(1)[0][0] if domains and rule else "",
                    language=languages.most_common(1)[0][0] if languages else fp.language,
                )
        return _join(cluster, [(m.item_kind, m.item_pk, m.author_id) for m in members], me=(kind, pk))


def _blocked_domain(
    *, kind: str, pk: int, author_id: int, target: reportables.Target, domain: str
) -> dict[str, Any] | None:
    """A post linking into a blocked domain joins that domain's cluster of the window: one case."""
    since = timezone.now() - timedelta(hours=settings.HAVEN.surge_window_hours)
    with transaction.atomic():
        cluster = None
        for candidate in ContentCluster.objects.filter(
            rule=ContentCluster.Rule.BLOCKED_DOMAIN, domain=domain, created_at__gte=since
        ).order_by("-pk")[:1]:
            case = latest_case(candidate)
            # A dismissed (or overturned) case does not unblock the domain: a new case starts.
            if case is None or case.state not in (Case.State.DISMISSED, Case.State.OVERTURNED):
                cluster = candidate
        if cluster is None:
            cluster = ContentCluster.objects.create(
                rule=ContentCluster.Rule.BLOCKED_DOMAIN,
                domain=domain,
                language=base_language(target.language),
            )
        return _join(cluster, [(kind, pk, author_id)], me=(kind, pk), reason=BLOCKED_REASON)


def latest_case(cluster: ContentCluster) -> Case | None:
    return (
        Case.objects.filter(target_kind="cluster", target_id=cluster.pk).order_by("-opened_at", "-pk").first()
    )


def _join(
    cluster: ContentCluster,
    items: list[tuple[str, int, int]],
    *,
    me: tuple[str, int],
    reason: str = SURGE_REASON,
) -> dict[str, Any] | None:
    """Add items to `cluster` and treat them as its case says; the decision for the post `me`."""
    now = timezone.now()
    ClusterItem.objects.bulk_create(
        [
            ClusterItem(cluster=cluster, item_kind=k, item_pk=p, author_id=a, added_at=now)
            for k, p, a in items
        ],
        ignore_conflicts=True,  # an item belongs to one cluster
    )
    wanted = Q()
    for k, p, _a in items:
        wanted |= Q(item_kind=k, item_pk=p)
    mine = list(ClusterItem.objects.filter(wanted, cluster=cluster).values_list("item_kind", "item_pk"))
    SurgeFingerprint.objects.filter(wanted).filter(cluster__isnull=True).update(cluster=cluster)
    cluster.item_count, cluster.account_count = services.cluster_recount(cluster_id=cluster.pk, now=now)
    base = {"source": "surge", "rule": cluster.rule, "cluster_id": cluster.pk}
    if tuple(me) not in {(k, int(p)) for k, p in mine}:
        return None  # the post already belongs to another cluster
    case = latest_case(cluster)
    if case is None:
        opened = services.case_flag(
            kind="cluster",
            target_id=cluster.pk,
            source=Case.Source.SURGE,
            reason=reason,
            hold=True,
            detail=f"{cluster.rule}:{cluster.item_count}",
        )
        return {**base, "decision": "hold", "case_id": opened.pk if opened else None}
    state, sensitive = _state_for(case)
    for kind, pk in mine:
        _apply(case, kind, int(pk), state=state, sensitive=sensitive)
    if state == ModerationState.HELD:
        return {**base, "decision": "hold", "case_id": case.pk}
    if state in (ModerationState.REMOVED, ModerationState.LIMITED):
        return {**base, "decision": state, "case_id": case.pk}
    return None


def _state_for(case: Case) -> tuple[str | None, bool]:
    """What a post joining a cluster gets from the cluster's latest case: (state or None, sensitive)."""
    if case.state in OPEN_STATES:
        return ModerationState.HELD, False
    if case.state in (Case.State.ACTIONED, Case.State.APPEALED, Case.State.UPHELD):
        if case.action in (Case.Action.REMOVE, Case.Action.SUSPEND):
            return ModerationState.REMOVED, False
        if case.action == Case.Action.LIMIT:
            return ModerationState.LIMITED, False
        if case.action == Case.Action.LABEL:
            return None, True
    return None, False  # dismissed, overturned: left alone


def _apply(case: Case, kind: str, pk: int, *, state: str | None, sensitive: bool) -> None:
    reportable = reportables.get(kind)
    obj = reportable.load(pk) if reportable else None
    if reportable is None or obj is None:
        return
    if sensitive and reportable.set_sensitive is not None:
        reportable.set_sensitive(obj, True)
    if state is None or reportable.set_state is None:
        return
    if reportable.describe(obj).state != ModerationState.OK:
        return
    reportable.set_state(
        obj, state, case.decision_reason or (case.reason.code if case.reason else SURGE_REASON)
    )
    services.audit(
        actor=None,
        action="content.hold" if state == ModerationState.HELD else f"content.{state}",
        case=case,
        target_kind=kind,
        target_id=pk,
        source="surge",
        detail="joined cluster",
    )


# ----------------------------------------------------------------------------------------------
# The "cluster" reportable: one case for many posts


def _cluster_load(pk: int) -> ContentCluster | None:
    return ContentCluster.objects.filter(pk=pk).first()


def _cluster_url(cluster: ContentCluster) -> str:
    try:
        return reverse("moderation:surge_cluster", args=[cluster.pk])
    except NoReverseMatch:
        return ""


def _item_targets(cluster: ContentCluster, limit: int) -> list[reportables.Target]:
    found = []
    for item in cluster.items.order_by("pk")[: limit * 3]:
        reportable = reportables.get(item.item_kind)
        obj = reportable.load(item.item_pk) if reportable else None
        if reportable is not None and obj is not None:
            found.append(reportable.describe(obj))
            if len(found) >= limit:
                break
    return found


def _cluster_describe(cluster: ContentCluster) -> reportables.Target:
    samples = _item_targets(cluster, 3)
    texts: list[str] = []
    for t in samples:
        if t.text and t.text not in texts:
            texts.append(t.text)
    title = ngettext(
        "%(items)d similar post from %(accounts)d new accounts",
        "%(items)d similar posts from %(accounts)d new accounts",
        cluster.item_count,
    ) % {"items": cluster.item_count, "accounts": cluster.account_count}
    return reportables.Target(
        kind="cluster",
        pk=cluster.pk,
        author_id=None,
        text="\n\n———\n\n".join(texts)[:4000],
        language=cluster.language,
        title=title,
        url=_cluster_url(cluster),
        reach=cluster.item_count,
        is_public=all(t.is_public for t in samples) if samples else True,
        state=cluster.state,
        created_at=cluster.created_at,
        extra={
            "rule": cluster.rule,
            "domain": cluster.domain,
            "items": cluster.item_count,
            "accounts": cluster.account_count,
        },
    )


def _own_hold(kind: str, pk: int) -> bool:
    """The post is held by a case of its own (a classifier's, a report's): a cluster does not release it."""
    return Case.objects.filter(target_kind=kind, target_id=pk, state__in=OPEN_STATES, held=True).exists()


def _cluster_set_state(cluster: ContentCluster, state: str, reason: str) -> None:
    """Apply a moderation state to every post of the cluster through its own reportable."""
    for item in cluster.items.order_by("pk"):
        reportable = reportables.get(item.item_kind)
        obj = reportable.load(item.item_pk) if reportable else None
        if reportable is None or obj is None or reportable.set_state is None:
            continue
        current = reportable.describe(obj).state
        if state == current:
            continue
        if state == ModerationState.HELD and current != ModerationState.OK:
            continue  # never turn a removal back into a hold
        if state == ModerationState.OK and _own_hold(item.item_kind, item.item_pk):
            continue
        if state == ModerationState.LIMITED and current == ModerationState.REMOVED:
            continue
        reportable.set_state(obj, state, reason)
    ContentCluster.objects.filter(pk=cluster.pk).update(state=state, updated_at=timezone.now())
    cluster.state = state


def _cluster_set_sensitive(cluster: ContentCluster, flag: bool) -> None:
    for item in cluster.items.order_by("pk"):
        reportable = reportables.get(item.item_kind)
        obj = reportable.load(item.item_pk) if reportable else None
        if reportable is not None and obj is not None and reportable.set_sensitive is not None:
            reportable.set_sensitive(obj, flag)


def register_reportable() -> None:
    reportables.register(
        reportables.Reportable(
            kind="cluster",
            label=gettext_lazy("similar posts from new accounts"),
            visible_to=lambda viewer, pk: None,  # members report the posts, not the cluster
            load=_cluster_load,
            describe=_cluster_describe,
            set_state=_cluster_set_state,
            set_sensitive=_cluster_set_sensitive,
            models=("moderation.ContentCluster", "moderation.ClusterItem"),
        )
    )


# ----------------------------------------------------------------------------------------------
# The dashboard's reads


def dashboard(*, now: Any = None) -> dict[str, Any]:
    """What the surge dashboard shows: the switch, limits, sign-ups, clusters, blocklist, held posts."""
    now = now or timezone.now()
    hour = now - timedelta(hours=1)
    signups = SignupEvent.objects.filter(at__gte=hour)
    clusters = list(
        ContentCluster.objects.filter(updated_at__gte=now - timedelta(hours=24)).order_by("-updated_at")[:50]
    )
    cases = {}
    for case in Case.objects.filter(target_kind="cluster", target_id__in=[c.pk for c in clusters]).order_by(
        "opened_at", "pk"
    ):
        cases[case.target_id] = case  # the latest wins
    rows = []
    for cluster in clusters:
        samples = _item_targets(cluster, 1)
        rows.append(
            {
                "cluster": cluster,
                "case": cases.get(cluster.pk),
                "sample": samples[0].text if samples else "",
                "language": samples[0].language if samples else cluster.language,
            }
        )
    open_cluster_ids = [c.target_id for c in cases.values() if c.state in OPEN_STATES]
    return {
        "mode": mode(),
        "normal": limits(surge=False),
        "surge": limits(surge=True),
        "signups_total": signups.count(),
        "signups_refused": signups.exclude(refused="").count(),
        "top_networks": list(
            signups.values("network")
            .annotate(n=Count("pk"), refused=Count("pk", filter=~Q(refused="")))
            .order_by("-n", "network")[:10]
        ),
        "top_domains": list(
            signups.exclude(domain="")
            .values("domain")
            .annotate(n=Count("pk"), refused=Count("pk", filter=~Q(refused="")))
            .order_by("-n", "domain")[:10]
        ),
        "clusters": rows,
        "blocked": list(BlockedDomain.objects.order_by("domain")[:500]),
        "blocked_count": BlockedDomain.objects.count(),
        "held_cases": Case.objects.filter(state__in=OPEN_STATES, held=True).count(),
        "held_in_clusters": ClusterItem.objects.filter(cluster_id__in=open_cluster_ids).count(),
        "surge_cases": Case.objects.filter(state__in=OPEN_STATES, source=Case.Source.SURGE).count(),
    }


def cluster_items(cluster: ContentCluster, *, limit: int = 200) -> list[dict[str, Any]]:
    """A cluster's posts for the review page: each with its text, author and state."""
    from haven.accounts.models import User

    items = list(cluster.items.order_by("pk")[:limit])
    names = dict(User.objects.filter(pk__in={i.author_id for i in items}).values_list("pk", "username"))
    rows = []
    for item in items:
        reportable = reportables.get(item.item_kind)
        obj = reportable.load(item.item_pk) if reportable else None
        target = reportable.describe(obj) if reportable is not None and obj is not None else None
        rows.append({"item": item, "target": target, "username": names.get(item.author_id, "")})
    return rows


# ----------------------------------------------------------------------------------------------
# Housekeeping and registration


def prune(*, now: Any = None) -> dict[str, int]:
    """Forget fingerprints older than the window and sign-up events older than two days."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.HAVEN.surge_window_hours)
    bands = SurgeBand.objects.filter(created_at__lt=cutoff).delete()[0]
    fingerprints = SurgeFingerprint.objects.filter(created_at__lt=cutoff).delete()[0]
    signups = SignupEvent.objects.filter(at__lt=now - timedelta(days=SIGNUP_EVENT_DAYS)).delete()[0]
    return {"bands": bands, "fingerprints": fingerprints, "signups": signups}


@task()
def surge_prune() -> dict[str, int]:
    """Periodic: forget old surge fingerprints and sign-up events (idempotent)."""
    return prune()


def _export_cluster_items(user: Any) -> Iterable[dict[str, Any]]:
    for item in ClusterItem.objects.filter(author=user).select_related("cluster").order_by("pk"):
        yield {
            "id": item.pk,
            "what": f"{item.item_kind} {item.item_pk}",
            "group": item.cluster.rule,
            "added_at": item.added_at.isoformat(),
        }


def register_all() -> None:
    """Everything surge defences plug in (called from ModerationConfig.ready(); idempotent)."""
    from haven.core.schedule import register_periodic

    gates.register_gate(gate)
    register_reportable()
    register_periodic(
        "surge_prune",
        task=surge_prune,
        every=timedelta(hours=1),
        jitter=timedelta(minutes=5),
        description="Forget surge fingerprints older than the window and sign-up events older than 2 days.",
    )
    personal_data.register(
        ClusterItem,
        section="reports_and_decisions",
        owner_fields=["author"],
        exporter=_export_cluster_items,
        eraser=personal_data.rows_deleter(ClusterItem, "author"),
    )
    personal_data.register(
        SurgeFingerprint,
        section="reports_and_decisions",
        owner_fields=[],
        other_user_fields=["author"],
        exporter=None,  # hashes of a post, forgotten after the window
        eraser=personal_data.rows_deleter(SurgeFingerprint, "author"),
    )
