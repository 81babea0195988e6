"""PostgreSQL: a btree index on search_searchentry.at, so a time-filtered search ("since a day") of a
common word reads the recent entries instead of walking back through every match (bounded ranking,
docs/search-bench.md). SQLite drives every search from FTS5 and does not need it."""

from django.db import migrations

# Written out here so this migration never changes after release. CONCURRENTLY: no write lock on a
# live index table (so the migration is not atomic).
PG_CREATE = "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_entry_at ON search_searchentry (at)"
PG_DROP = "DROP INDEX CONCURRENTLY IF EXISTS search_entry_at"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(create, drop)]
