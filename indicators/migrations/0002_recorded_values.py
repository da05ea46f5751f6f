"""Load the recorded values: matches of fiscal 2018 to 2021 and the baselines.

The matches come from indicators/data/matching_history.csv, the baselines
of fiscal 2021 from indicators/data/plan_indicators.csv. The plan's
baseline for the matches (1,292 over fiscal 2018 to 2021) is the sum of
the four yearly rows, so it is not stored a second time. Rerunning the
migration updates the rows in place.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

MATCHES_SOURCE = (
    "県の集計による「あいかさねっと」等を通じたボランティア活動マッチング数"
    "（{wareki}）"
)
BASELINE_SOURCE = "県民活動促進の5か年計画（2022〜2026年度）に記載の基準値（2021年度）"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(apps, schema_editor):
    RecordedValue = apps.get_model("indicators", "RecordedValue")
    for row in _rows("matching_history.csv"):
        RecordedValue.objects.update_or_create(
            indicator="volunteer_matches",
            fiscal_year=int(row["fiscal_year"]),
            defaults={
                "value": Decimal(row["matches"]),
                "source": MATCHES_SOURCE.format(wareki=row["wareki"]),
            },
        )
    for row in _rows("plan_indicators.csv"):
        year = row["baseline_fiscal_year"]
        if not row["baseline_value"] or "-" in year:
            continue
        RecordedValue.objects.update_or_create(
            indicator=row["key"],
            fiscal_year=int(year),
            defaults={"value": Decimal(row["baseline_value"]), "source": BASELINE_SOURCE},
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "RecordedValue").objects.filter(
        entered_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
