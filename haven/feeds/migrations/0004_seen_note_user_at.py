"""An index on (user, seen_at) of feeds_seennote: a member's latest seen-marks (the personal ranking)
and what was served since a Discover ranking made ahead (docs/recommend.md "Ranked ahead").

PostgreSQL builds it CONCURRENTLY (no write lock on a live table, so the migration is not atomic)."""

from django.db import migrations, models

# Written out here so this migration never changes after release.
PG_CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS seen_note_user_at_idx ON feeds_seennote (user_id, seen_at)"
)
PG_DROP = "DROP INDEX CONCURRENTLY IF EXISTS seen_note_user_at_idx"
SQLITE_CREATE = "CREATE INDEX IF NOT EXISTS seen_note_user_at_idx ON feeds_seennote (user_id, seen_at)"
SQLITE_DROP = "DROP INDEX IF EXISTS seen_note_user_at_idx"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    pg = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(PG_CREATE if pg else SQLITE_CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    pg = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(PG_DROP if pg else SQLITE_DROP)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("feeds", "0003_trending")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create, drop)],
            state_operations=[
                migrations.AddIndex(
                    model_name="seennote",
                    index=models.Index(fields=["user", "seen_at"], name="seen_note_user_at_idx"),
                )
            ],
        )
    ]
