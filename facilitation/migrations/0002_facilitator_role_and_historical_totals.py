"""Create the facilitator role and record the recognition totals from before the portal."""

from django.db import migrations

FACILITATOR_GROUP = "facilitator"

# NOTE: The prefecture supplied these totals without naming the publication
# they come from. Prefectural staff can correct the source text in the admin.
TOTALS = [
    {
        "kind": "award",
        "first_fiscal_year": 2000,
        "last_fiscal_year": 2022,
        "count": 115,
        "source": "山口県の集計（ポータル開設前の記録）。地域貢献賞と前身の表彰の合計。",
    },
    {
        "kind": "model_business_site",
        "first_fiscal_year": 1996,
        "last_fiscal_year": 2022,
        "count": 95,
        "source": "山口県の集計（ポータル開設前の記録）。",
    },
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=FACILITATOR_GROUP)
    Total = apps.get_model("facilitation", "HistoricalRecognitionTotal")
    for total in TOTALS:
        Total.objects.update_or_create(
            kind=total["kind"],
            first_fiscal_year=total["first_fiscal_year"],
            last_fiscal_year=total["last_fiscal_year"],
            defaults={"count": total["count"], "source": total["source"]},
        )


def remove(apps, schema_editor):
    Total = apps.get_model("facilitation", "HistoricalRecognitionTotal")
    for total in TOTALS:
        Total.objects.filter(
            kind=total["kind"],
            first_fiscal_year=total["first_fiscal_year"],
            last_fiscal_year=total["last_fiscal_year"],
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("facilitation", "0001_partners_facilitators_recognitions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
