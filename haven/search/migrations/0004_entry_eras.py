"""PostgreSQL: every document gets its era lexeme (`~e<id >> 16>`), so a query of middling frequency
searches the newest eras through the GIN index (haven/search/backends/postgres.py, docs/search-bench.md).
New and re-indexed entries carry it already; this adds it to the existing ones, in batches (not atomic:
a large index is not locked as a whole), then vacuums the table and refreshes its statistics (they
choose the path). About a minute per million entries.
SQLite FTS5 does not use eras."""

from django.db import migrations

# Written out here so this migration never changes after release.
BATCH = 20_000
ADD = (
    "WITH batch AS (SELECT id FROM search_searchentry WHERE id > %s ORDER BY id LIMIT %s) "
    "UPDATE search_searchentry e "
    "SET document = e.document || array_to_tsvector(ARRAY['~e' || (e.id >> 16)::text]) "
    "FROM batch WHERE e.id = batch.id RETURNING e.id"
)
REMOVE = (
    "WITH batch AS (SELECT id FROM search_searchentry WHERE id > %s ORDER BY id LIMIT %s) "
    "UPDATE search_searchentry e "
    "SET document = ts_delete(e.document, ARRAY['~e' || (e.id >> 16)::text]) "
    "FROM batch WHERE e.id = batch.id RETURNING e.id"
)


def _each_batch(schema_editor, statement):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    last = -1
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(statement, [last, BATCH])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                break
            last = max(ids)
        cursor.execute("VACUUM (ANALYZE) search_searchentry")  # the old row versions, then statistics


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    _each_batch(schema_editor, ADD)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    _each_batch(schema_editor, REMOVE)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("search", "0003_entry_at_index")]

    operations = [migrations.RunPython(add, remove)]
