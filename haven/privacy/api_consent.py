"""JSON API for policies, consents and the staff access log (mounted at /api/v1/privacy by config.api)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from haven.accounts.models import User
from haven.core.errors import NotAuthenticated
from haven.core.openapi import errors
from haven.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from haven.privacy import consent, staff_access

router = Router(tags=["privacy"])

PolicyKind = Literal["terms", "privacy"]
PurposeName = Literal["personalised_recommendations", "external_translation", "marketing_email"]
Cursor = Annotated[str | None, Query(max_length=2000)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


class PolicyOut(Schema):
    kind: PolicyKind
    version: int
    title: str = Field(max_length=120)
    changes: str = Field(max_length=500)
    language: str = Field(max_length=16)
    published_at: datetime | None
    url: str = Field(max_length=200)
    accepted: bool
    accepted_version: int | None


class PoliciesOut(Schema):
    items: list[PolicyOut] = Field(max_length=2)
    all_accepted: bool


class PolicyAcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: PolicyKind
    version: int = Field(ge=1, le=1_000_000)


class ConsentOut(Schema):
    purpose: PurposeName
    label: str = Field(max_length=200)
    granted: bool
    is_default: bool
    default: bool
    changed_at: datetime | None


class ConsentsOut(Schema):
    items: list[ConsentOut] = Field(max_length=10)


class ConsentChoiceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    purpose: PurposeName
    granted: bool


class ConsentsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[ConsentChoiceIn] = Field(min_length=1, max_length=10)


class StaffAccessOut(Schema):
    id: int
    role: str = Field(max_length=20)
    what: str = Field(max_length=20)
    what_label: str = Field(max_length=100)
    reason: str = Field(max_length=300)
    at: datetime


class StaffAccessPageOut(Schema):
    items: list[StaffAccessOut] = Field(max_length=MAX_PAGE_SIZE)
    next_cursor: str | None


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


def _consents(user: User) -> dict[str, Any]:
    return {"items": [state.__dict__ for state in consent.consent_states(user)]}


@router.get(
    "/policies", response=PoliciesOut, summary="Current terms and privacy policy, and if you accepted them"
)
def policies_current(request: HttpRequest) -> dict[str, Any]:
    me = _member(request)
    accepted = consent.accepted_versions(me.pk)
    items = []
    for kind in consent.KINDS:
        document = consent.policy_current(kind)
        if document is None:
            continue
        text = consent.policy_text(document)
        items.append(
            {
                "kind": kind,
                "version": text.version,
                "title": text.title,
                "changes": text.changes,
                "language": text.language,
                "published_at": text.published_at,
                "url": "/terms/" if kind == "terms" else "/privacy/",
                "accepted": accepted.get(kind, 0) >= text.version,
                "accepted_version": accepted.get(kind),
            }
        )
    return {"items": items, "all_accepted": all(i["accepted"] for i in items)}


@router.post(
    "/policies/accept",
    response={204: None, **errors(404, 409)},
    summary="Accept the current version of a policy",
    description="Accept `version` of `kind`. An older version is 409 `policy_version_stale` (with "
    "`details.current_version`); a version that is not published is 404 `policy_not_found`.",
)
def policies_accept(request: HttpRequest, payload: PolicyAcceptIn) -> Status[None]:
    consent.policy_accept(user=_member(request), kind=payload.kind, version=payload.version)
    return Status(204, None)


@router.get("/consents", response=ConsentsOut, summary="Your optional consents")
def consents_get(request: HttpRequest) -> dict[str, Any]:
    return _consents(_member(request))


@router.put("/consents", response=ConsentsOut, summary="Change your optional consents")
def consents_put(request: HttpRequest, payload: ConsentsIn) -> dict[str, Any]:
    me = _member(request)
    consent.consents_set(user=me, choices=[(item.purpose, item.granted) for item in payload.items])
    return _consents(me)


@router.get(
    "/staff-access",
    response=StaffAccessPageOut,
    summary="When staff looked at your non-public data",
    description="Newest first: the staff member's role (operator, moderator, staff), what they saw, "
    "the reason they gave and when; never who.",
)
def staff_access_get(
    request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE
) -> dict[str, Any]:
    page = staff_access.staff_access_page(_member(request), cursor=cursor, limit=limit)
    return {"items": [entry.__dict__ for entry in page.items], "next_cursor": page.next_cursor}
