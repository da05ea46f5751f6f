"""Add the database triggers that reject UPDATE and DELETE on the access log.

The SQL differs between PostgreSQL and SQLite, so it runs in RunPython,
which sees the connection's vendor; the statements are in
civic_portal.audit.triggers.
"""

from django.db import migrations

from civic_portal.audit.triggers import create_triggers, drop_triggers


def forwards(apps, schema_editor):
    create_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
