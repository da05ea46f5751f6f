"""Load the 19 municipalities, the 20 activity fields and the support centres.

The CSV files in groups/data are the project's copy of the prefecture's
reference lists; rerunning the migration updates rows in place.
"""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

CENTRE_NAMES_EN = {
    "やまぐち県民活動支援センター": "Yamaguchi Prefectural Civic Activity Support Centre",
}


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(apps, schema_editor):
    Municipality = apps.get_model("groups", "Municipality")
    ActivityField = apps.get_model("groups", "ActivityField")
    SupportCentre = apps.get_model("groups", "SupportCentre")

    for row in _rows("municipalities.csv"):
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "code_with_check_digit": row["code_with_check_digit"],
                "name": row["name"],
                "kana": row["kana"],
                "name_en": row["name_en"],
                "kind": row["kind"],
            },
        )
    for row in _rows("activity_fields.csv"):
        ActivityField.objects.update_or_create(
            number=int(row["number"]),
            defaults={"name": row["name_ja"], "name_en": row["name_en"]},
        )
    for row in _rows("support_centres.csv"):
        year, month = (int(part) for part in row["established"].split("-"))
        SupportCentre.objects.update_or_create(
            name=row["name"],
            defaults={
                "name_en": CENTRE_NAMES_EN.get(row["name"], ""),
                "municipality": Municipality.objects.get(code=row["municipality_code"]),
                "scope": row["scope"],
                "operation": row["operation"],
                "opened_on": dt.date(year, month, 1),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
