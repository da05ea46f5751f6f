"""Store each post's next session start, for the search to filter and order on.

The data step fills the new column as
volunteering.services.next_session.refresh_next_session_starts does; the
periodic task keeps it up to date afterwards.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def fill_next_session_starts(apps, schema_editor):
    post_model = apps.get_model("volunteering", "VolunteerPost")
    session_model = apps.get_model("volunteering", "VolunteerSession")
    next_start = (
        session_model.objects.filter(post=OuterRef("pk"), starts_at__gt=timezone.now())
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    post_model.objects.update(next_session_starts_at=Subquery(next_start))


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0002_search_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="volunteerpost",
            name="next_session_starts_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="next session starts at",
            ),
        ),
        migrations.AddIndex(
            model_name="volunteerpost",
            index=models.Index(
                fields=["status", "next_session_starts_at"],
                name="volunteerin_status_d3f5ca_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="volunteersession",
            index=models.Index(
                fields=["starts_at", "post"], name="volunteerin_starts__f4ce06_idx"
            ),
        ),
        migrations.RunPython(fill_next_session_starts, migrations.RunPython.noop),
    ]
