import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from probono.models import ProbonoWorker, Skill
from probono.services import workers as worker_services
from probono.services.workers import SkillEntry
from tests.factories import ProbonoWorkerFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db


def inside_fields(**overrides):
    fields = {
        "profession": "デザイナー",
        "work_mode": "on_site",
        "lives_in_prefecture": True,
        "municipality": municipality(),
        "home_region": "",
        "hours_per_month": 8,
        "max_projects": 1,
    }
    fields.update(overrides)
    return fields


def web_skill():
    return [SkillEntry(Skill.objects.get(key="it_web"), 2, 3)]


def test_register_rejects_missing_consent():
    with pytest.raises(ValidationError) as caught:
        worker_services.register_worker(
            user=UserFactory(),
            fields=inside_fields(),
            skills=web_skill(),
            activity_fields=[],
            contact_consent=False,
        )

    assert "contact_consent" in caught.value.error_dict
    assert not ProbonoWorker.objects.exists()


def test_register_rejects_second_registration():
    worker = ProbonoWorkerFactory()

    with pytest.raises(ValidationError):
        worker_services.register_worker(
            user=worker.user,
            fields=inside_fields(),
            skills=web_skill(),
            activity_fields=[],
            contact_consent=True,
        )

    assert ProbonoWorker.objects.count() == 1


def test_inside_resident_needs_municipality():
    with pytest.raises(ValidationError) as caught:
        worker_services.check_registration(
            inside_fields(municipality=None), web_skill()
        )

    assert "municipality" in caught.value.error_dict


def test_outside_resident_either_mode_allowed():
    fields = inside_fields(
        lives_in_prefecture=False, home_region="Paris", work_mode="either"
    )

    worker_services.check_registration(fields, web_skill())


def test_remote_message_in_japanese():
    fields = inside_fields(lives_in_prefecture=False, home_region="東京都")

    with translation.override("ja"), pytest.raises(ValidationError) as caught:
        worker_services.check_registration(fields, web_skill())

    assert "リモート" in caught.value.error_dict["work_mode"][0].messages[0]


def test_pause_twice_rejected():
    worker = ProbonoWorkerFactory()
    worker_services.pause_worker(worker)

    with pytest.raises(ValidationError):
        worker_services.pause_worker(worker)


def test_deleted_worker_cannot_change():
    worker = ProbonoWorkerFactory()
    worker_services.delete_worker(worker)

    with pytest.raises(ValidationError):
        worker_services.update_worker(
            worker=worker, fields={"profession": "x"}, skills=None, activity_fields=None
        )
    with pytest.raises(ValidationError):
        worker_services.delete_worker(worker)
    with pytest.raises(ValidationError):
        worker_services.resume_worker(worker)


def test_delete_paused_worker_clears_paused_at():
    worker = ProbonoWorkerFactory()
    worker_services.pause_worker(worker)

    worker_services.delete_worker(worker)

    worker.refresh_from_db()
    assert worker.status == ProbonoWorker.Status.DELETED
    assert worker.paused_at is None
