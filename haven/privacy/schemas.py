"""Bounded ninja schemas of the privacy API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class ReauthIn(Schema):
    password: str = Field(min_length=1, max_length=1024)


class DeletionIn(ReauthIn):
    confirm: bool = Field(
        description="Must be true: the member understands the account is erased after the grace period."
    )


class ExportOut(Schema):
    id: int
    state: str
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    byte_size: int
    sections: dict[str, int]
    download_url: str | None = Field(description="Only while ready; usable by the member only.")


class DeletionOut(Schema):
    receipt_code: str
    state: str
    requested_at: datetime
    erase_after: datetime
    erased_at: datetime | None
    counts: dict[str, int]


class RegionChoiceOut(Schema):
    code: str
    label: str


class RegionOut(Schema):
    current: str
    offered: list[RegionChoiceOut]


class RegionIn(Schema):
    region: str = Field(min_length=1, max_length=16)


class KeptOut(Schema):
    record: str
    reason: str
