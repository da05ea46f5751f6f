from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from groups.models import CivicGroup
from groups.services.directory import disclosure_of

pytestmark = pytest.mark.django_db


def load() -> str:
    output = StringIO()
    call_command("load_demo_data", "--seed", "7", stdout=output)
    return output.getvalue()


def test_demo_groups_mostly_confirmed():
    load()

    public = CivicGroup.objects.public()
    unconfirmed = public.unconfirmed(timezone.now())
    assert public.filter(info_confirmed_at__isnull=False).count() > public.count() / 2
    assert unconfirmed.exists()


def test_demo_groups_show_several_disclosure_levels():
    load()

    groups = CivicGroup.objects.public().prefetch_related("activity_fields")
    levels = {disclosure_of(group).level for group in groups}
    assert len(levels) >= 2


def test_demo_directory_second_run_changes_nothing():
    load()
    before = list(
        CivicGroup.objects.order_by("pk").values_list(
            "pk", "info_confirmed_at", "wants_probono", "representative"
        )
    )

    output = load()

    after = list(
        CivicGroup.objects.order_by("pk").values_list(
            "pk", "info_confirmed_at", "wants_probono", "representative"
        )
    )
    assert after == before
    assert "Directory profiles: 0 changed" in output
