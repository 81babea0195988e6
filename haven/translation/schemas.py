"""Ninja schemas of the translation API (bounded)."""

from __future__ import annotations

from ninja import Field, Schema


class ProviderOut(Schema):
    id: str = Field(max_length=40)
    kind: str = Field(max_length=20)
    pairs: list[str] = Field(max_length=200)


class PairOut(Schema):
    source: str = Field(max_length=16)
    target: str = Field(max_length=16)
    providers: list[str] = Field(max_length=50)


class ProvidersOut(Schema):
    configured: bool
    providers: list[ProviderOut] = Field(max_length=50)
    pairs: list[PairOut] = Field(max_length=500)


class NoteTranslationOut(Schema):
    note_id: int
    title: str
    body_html: str
    source_language: str
    target_language: str
    provider: str
    cached: bool
    not_needed: bool


class CommentTranslationOut(Schema):
    comment_id: int
    body_html: str
    source_language: str
    target_language: str
    provider: str
    cached: bool
    not_needed: bool
