"""Moderation API schemas, bounded on every field."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from haven.moderation.models import APPEAL_TEXT_MAX, NOTE_TEXT_MAX, REPORT_TEXT_MAX
from haven.moderation.policy import MAX_SUSPENSION_DAYS

MAX_ID = 2**63 - 1
Kind = Literal["note", "comment", "member", "message", "product", "cluster"]


class ReasonOut(Schema):
    code: str
    label: str
    severity: int


class ReportIn(Schema):
    kind: Kind
    target_id: int = Field(ge=1, le=MAX_ID)
    reason: str = Field(min_length=1, max_length=40)
    text: str = Field("", max_length=REPORT_TEXT_MAX)


class ReportOut(Schema):
    id: int
    case_id: int
    kind: str
    target_id: int
    reason: str
    created_at: datetime
    outcome: str  # waiting | in_review | actioned | not_actioned


class DecisionOut(Schema):
    case_id: int
    kind: str
    target_id: int
    state: str
    action: str
    reason: str
    held: bool
    decided_at: datetime | None
    appealable: bool


class AppealIn(Schema):
    text: str = Field(min_length=1, max_length=APPEAL_TEXT_MAX)


class TargetOut(Schema):
    kind: str
    id: int
    author_id: int | None
    text: str
    language: str
    title: str
    url: str
    state: str
    sensitive: bool
    is_public: bool
    reach: int


class CaseOut(Schema):
    id: int
    state: str
    version: int
    language: str
    source: str
    reason: str | None
    severity: int
    priority: int
    report_count: int
    held: bool
    unstaffed: bool
    scores: dict[str, float]
    opened_at: datetime
    due_at: datetime | None
    assigned_to: int | None
    action: str
    target: TargetOut | None = None


class CasePageOut(Schema):
    items: list[CaseOut]


class CaseDetailOut(CaseOut):
    translation: str = ""
    translation_error: str = ""


class DecideIn(Schema):
    action: Literal["remove", "limit", "label", "suspend", "dismiss"]
    reason: str | None = Field(None, max_length=40)
    note: str = Field("", max_length=NOTE_TEXT_MAX)
    suspend_days: int | None = Field(None, ge=1, le=MAX_SUSPENSION_DAYS)
    version: int = Field(ge=0, le=2**31)


class AppealDecideIn(Schema):
    outcome: Literal["upheld", "overturned"]
    note: str = Field("", max_length=NOTE_TEXT_MAX)
    version: int = Field(ge=0, le=2**31)


class VersionIn(Schema):
    version: int | None = Field(None, ge=0, le=2**31)
