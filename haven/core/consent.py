"""Optional consents, asked of lower apps without importing privacy (ADR 0001 registration pattern).

The privacy app registers the lookup from its `AppConfig.ready()`. Lower apps call
`consent_granted(user_id, purpose)` where the purpose is used: feeds before personalising Discover,
translation before sending a member's text to an external provider. With no lookup registered
(privacy not installed), each purpose's documented default applies.
"""

from __future__ import annotations

from collections.abc import Callable

PERSONALISED_RECOMMENDATIONS = "personalised_recommendations"
EXTERNAL_TRANSLATION = "external_translation"
MARKETING_EMAIL = "marketing_email"

#: The default when a member has made no choice (documented on the privacy page and in docs/privacy.md).
DEFAULTS: dict[str, bool] = {
    PERSONALISED_RECOMMENDATIONS: True,
    EXTERNAL_TRANSLATION: True,
    MARKETING_EMAIL: False,
}

ConsentLookup = Callable[[int, str], bool]
BulkConsentLookup = Callable[[list[int], str], set[int]]

_lookup: list[ConsentLookup] = []
_bulk_refused: list[BulkConsentLookup] = []


def register_lookup(lookup: ConsentLookup, refused_among: BulkConsentLookup) -> None:
    """Register the consent store (privacy does, once)."""
    _lookup[:] = [lookup]
    _bulk_refused[:] = [refused_among]


def consent_granted(user_id: int | None, purpose: str) -> bool:
    """Whether member `user_id` allows `purpose` (anonymous visitors: the default)."""
    if purpose not in DEFAULTS:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if user_id is None or not _lookup:
        return DEFAULTS[purpose]
    return _lookup[0](user_id, purpose)


def refused_among(user_ids: list[int], purpose: str) -> set[int]:
    """The members among `user_ids` who do not allow `purpose` (one query for many authors)."""
    if purpose not in DEFAULTS:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if not user_ids or not _bulk_refused:
        return set() if DEFAULTS[purpose] else set(user_ids)
    return _bulk_refused[0](user_ids, purpose)
