"""A trigram index on the normalised search text, on PostgreSQL only.

It serves `search_text LIKE '%term%'` for terms of three or more characters.
SQLite has no trigram index; there the search scans.
"""

from django.db import migrations


def _on_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def create(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS volunteering_post_search_trgm "
        "ON volunteering_volunteerpost USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    schema_editor.execute("DROP INDEX IF EXISTS volunteering_post_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
