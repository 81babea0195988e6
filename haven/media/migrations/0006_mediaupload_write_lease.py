# The write lease of a resumable upload (haven.media.tus): one PATCH at a time writes the partial file.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0005_videos"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediaupload",
            name="lock_token",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="mediaupload",
            name="locked_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
