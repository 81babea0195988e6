"""The full-text structures beside SearchEntry: an FTS5 table on SQLite, a tsvector column + GIN on PostgreSQL."""

from django.db import migrations

# Written out here (not imported from the backends) so this migration never changes after release.
FTS5_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "head, body, tokenize = 'unicode61 remove_diacritics 0')"
)
FTS5_DROP = "DROP TABLE IF EXISTS search_fts"
PG_CREATE = [
    "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS document tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS search_entry_document_gin ON search_searchentry USING gin (document)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS5_CREATE)
    elif vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS5_DROP)
    elif vendor == "postgresql":
        for statement in PG_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
