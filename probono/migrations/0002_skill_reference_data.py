"""Load the skill areas of the pro bono worker bank from probono/data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "skills.csv"


def load(apps, schema_editor):
    Skill = apps.get_model("probono", "Skill")
    with open(DATA, encoding="utf-8", newline="") as handle:
        for position, row in enumerate(csv.DictReader(handle), start=1):
            Skill.objects.update_or_create(
                key=row["key"],
                defaults={
                    "name": row["name_ja"],
                    "name_en": row["name_en"],
                    "position": position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("probono", "0001_skills")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
