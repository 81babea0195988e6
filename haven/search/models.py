"""Search: index rows (metadata beside the backend's full-text table), the typo vocabulary, search history."""

from __future__ import annotations

from django.conf import settings
from django.db import models

QUERY_MAX = 100
KIND_MAX = 16


class SearchEntry(models.Model):
    """One indexed document. `id` is the searchable kind's code times 2**40 plus the object's pk, so a
    kind is an id range in every backend. The text lives beside it: the `search_fts` FTS5 table (SQLite,
    rowid = id) or the `document` tsvector column of this table (PostgreSQL); both are created by
    migration 0002 and written by haven.search.backends only."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=KIND_MAX)
    object_id = models.BigIntegerField()
    language = models.CharField(max_length=8, default="und")  # base language: "zh", "en", "und"
    at = models.BigIntegerField(null=True, blank=True)  # published, in Unix seconds (None: timeless)
    boost = models.FloatField(default=1.0)  # 1 + 0.1 * ln(1 + popularity)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchTerm(models.Model):
    """A Latin word seen in indexed text (surface form): what typo correction may suggest."""

    term = models.CharField(max_length=40, unique=True)
    seen = models.PositiveIntegerField(default=1)  # documents indexed with it (approximate, never lowered)

    def __str__(self) -> str:
        return self.term


class SearchGram(models.Model):
    """A trigram of a vocabulary term (padded like pg_trgm), to find terms close to a misspelt word."""

    gram = models.CharField(max_length=3)
    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="grams")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "term"], name="search_gram_unique")]

    def __str__(self) -> str:
        return f"{self.gram!r} {self.term_id}"


class SearchHistory(models.Model):
    """A member's recent searches: private to them, deletable, in their data export; the last 50 kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=QUERY_MAX)
    kind = models.CharField(max_length=KIND_MAX)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "search history"
        indexes = [models.Index(fields=["user", "-created_at"], name="search_history_recent")]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "query"], name="search_history_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.query}"
