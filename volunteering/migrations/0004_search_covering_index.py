"""Replace the search index on posts with one that also covers the count.

With kind, group and id included, PostgreSQL counts the default search's
results with an index-only scan instead of reading every published post.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0003_post_next_session_starts_at")]

    operations = [
        migrations.RemoveIndex(
            model_name="volunteerpost",
            name="volunteerin_status_d3f5ca_idx",
        ),
        migrations.AddIndex(
            model_name="volunteerpost",
            index=models.Index(
                fields=["status", "next_session_starts_at"],
                include=("kind", "group", "id"),
                name="post_status_next_session_idx",
            ),
        ),
    ]
