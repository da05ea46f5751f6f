"""Give existing groups their dated history and the centres their hours.

Approved groups get `registered_on` from their approval and a first status
change, so questions about past dates have rows to read. The prefectural
centre gets its published opening hours.
"""

from django.db import migrations

PREFECTURAL_CENTRE = "やまぐち県民活動支援センター"
PREFECTURAL_HOURS = "平日 9:00〜21:00、土曜・日曜 9:00〜17:00"
PREFECTURAL_CLOSED = "月曜日、国民の祝日、12月29日〜1月3日"


def backfill(apps, schema_editor):
    CivicGroup = apps.get_model("groups", "CivicGroup")
    GroupStatusChange = apps.get_model("groups", "GroupStatusChange")
    SupportCentre = apps.get_model("groups", "SupportCentre")

    for group in CivicGroup.objects.filter(approved_at__isnull=False).iterator():
        registered_on = group.approved_at.date()
        CivicGroup.objects.filter(pk=group.pk, registered_on__isnull=True).update(
            registered_on=registered_on
        )
        if not GroupStatusChange.objects.filter(group=group).exists():
            GroupStatusChange.objects.create(
                group=group, status="active", effective_on=registered_on
            )
            if group.status != "active":
                GroupStatusChange.objects.create(
                    group=group,
                    status=group.status,
                    effective_on=group.dissolved_on or registered_on,
                )
    SupportCentre.objects.filter(name=PREFECTURAL_CENTRE, opening_hours="").update(
        opening_hours=PREFECTURAL_HOURS, closed_days=PREFECTURAL_CLOSED
    )


class Migration(migrations.Migration):
    dependencies = [("groups", "0003_registry")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
