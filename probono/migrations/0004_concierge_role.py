"""Create the Django group that gives its members the concierge role."""

from django.db import migrations

CONCIERGE_GROUP = "concierge"


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=CONCIERGE_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("probono", "0003_worker_bank"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
