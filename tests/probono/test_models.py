import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from probono.models import ProbonoWorker, Skill
from probono.permissions import CONCIERGE_GROUP, is_concierge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_skill_areas_loaded():
    assert Skill.objects.count() == 12
    assert Skill.objects.first().key == "planning"


def test_registered_by_counts_deleted_workers():
    kept = ProbonoWorker.objects.create(user=UserFactory())
    deleted = ProbonoWorker.objects.create(
        user=None, status=ProbonoWorker.Status.DELETED
    )
    later = timezone.now() + dt.timedelta(seconds=1)

    assert set(ProbonoWorker.objects.registered_by(later)) == {kept, deleted}
    assert list(ProbonoWorker.objects.active()) == [kept]


def test_concierge_role_from_group():
    concierge = UserFactory()
    concierge.groups.add(Group.objects.get(name=CONCIERGE_GROUP))

    assert is_concierge(concierge)
    assert not is_concierge(UserFactory())
