"""Seed the default report reasons; make the audit log append-only in PostgreSQL (a trigger)."""

from django.db import migrations

REASONS = [
    # code, English, Chinese, severity
    ("spam", "Spam", "垃圾信息", 2),
    ("scam", "Scam or fraud", "诈骗或欺诈", 4),
    ("harassment", "Harassment or hate", "骚扰或仇恨言论", 3),
    ("sexual", "Sexual content", "色情内容", 3),
    ("violence", "Violence", "暴力", 4),
    ("self_harm", "Self-harm", "自我伤害", 5),
    ("minor_safety", "Minor safety", "未成年人安全", 5),
    ("ip", "Intellectual property", "知识产权", 2),
    ("misinformation", "Misinformation", "虚假信息", 2),
    ("other", "Other", "其他", 1),
]

TRIGGER = """
CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_auditentry;
CREATE TRIGGER moderation_audit_append_only BEFORE UPDATE OR DELETE ON moderation_auditentry
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_auditentry;
DROP FUNCTION IF EXISTS moderation_audit_append_only();
"""


def seed(apps, schema_editor):
    reason = apps.get_model("moderation", "ReportReason")
    for position, (code, en, zh, severity) in enumerate(REASONS):
        reason.objects.get_or_create(
            code=code, defaults={"label_en": en, "label_zh": zh, "severity": severity, "position": position * 10}
        )


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def untrigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(trigger, untrigger),
    ]
