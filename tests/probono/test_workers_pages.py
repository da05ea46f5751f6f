import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from probono.models import ProbonoWorker, Skill, WorkerSkill
from probono.permissions import CONCIERGE_GROUP
from tests.factories import (
    ProbonoWorkerFactory,
    UserFactory,
    activity_field,
    municipality,
)

pytestmark = pytest.mark.django_db


def registration_data(**overrides):
    """Return the POST data of a valid registration with one skill row."""
    data = {
        "profession": "税理士",
        "employer": "",
        "skills_note": "NPO法人の会計",
        "hours_per_month": "１０",
        "available_weekdays": "",
        "available_evenings": "on",
        "available_weekends": "on",
        "work_mode": "either",
        "lives_in_prefecture": "True",
        "municipality": str(municipality().pk),
        "home_region": "",
        "max_projects": "２",
        "activity_fields": [],
        "contact_consent": "on",
        "skills-TOTAL_FORMS": "2",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "1",
        "skills-MAX_NUM_FORMS": "1000",
        "skills-0-skill": str(Skill.objects.get(key="accounting").pk),
        "skills-0-level": "3",
        "skills-0-years": "１５",
        "skills-1-skill": "",
        "skills-1-level": "",
        "skills-1-years": "",
    }
    data.update(overrides)
    return data


def edit_data(worker, **overrides):
    """Return the POST data of the edit form with the worker's skill rows."""
    rows = list(worker.worker_skills.all())
    data = registration_data(**overrides)
    data.pop("contact_consent")
    data["skills-INITIAL_FORMS"] = str(len(rows))
    data["skills-TOTAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        data[f"skills-{index}-id"] = str(row.pk)
        data[f"skills-{index}-worker"] = str(worker.pk)
        data[f"skills-{index}-skill"] = str(row.skill_id)
        data[f"skills-{index}-level"] = str(row.level)
        data[f"skills-{index}-years"] = str(row.years)
    for key in list(data):
        if key.startswith("skills-") and key[7].isdigit() and int(key[7]) >= len(rows):
            del data[key]
    data.update(overrides)
    return data


def concierge():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


def test_register_stores_fields_and_consent(client, resident):
    client.force_login(resident)

    response = client.post(reverse("probono:register_worker"), registration_data())

    assert response.status_code == 302
    worker = ProbonoWorker.objects.get(user=resident)
    assert worker.profession == "税理士"
    assert worker.hours_per_month == 10
    assert worker.max_projects == 2
    assert worker.available_evenings
    assert not worker.available_weekdays
    assert worker.contact_consent_at is not None
    assert worker.status == ProbonoWorker.Status.ACTIVE
    skill_row = worker.worker_skills.get()
    assert skill_row.skill.key == "accounting"
    assert skill_row.level == 3
    assert skill_row.years == 15


def test_register_requires_consent(client, resident):
    client.force_login(resident)
    data = registration_data()
    del data["contact_consent"]

    response = client.post(reverse("probono:register_worker"), data)

    assert response.status_code == 200
    assert "contact_consent" in response.context["form"].errors
    assert not ProbonoWorker.objects.exists()


def test_register_requires_a_skill(client, resident):
    client.force_login(resident)
    data = registration_data(
        **{"skills-0-skill": "", "skills-0-level": "", "skills-0-years": ""}
    )

    response = client.post(reverse("probono:register_worker"), data)

    assert response.status_code == 200
    assert "skill" in response.context["formset"].forms[0].errors
    assert not ProbonoWorker.objects.exists()


def test_register_rejects_repeated_skill(client, resident):
    client.force_login(resident)
    accounting = str(Skill.objects.get(key="accounting").pk)
    data = registration_data(
        **{"skills-1-skill": accounting, "skills-1-level": "1", "skills-1-years": "1"}
    )

    response = client.post(reverse("probono:register_worker"), data)

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not ProbonoWorker.objects.exists()


@pytest.mark.parametrize("hours", ["0", ""])
def test_register_rejects_no_hours(client, resident, hours):
    client.force_login(resident)

    response = client.post(
        reverse("probono:register_worker"), registration_data(hours_per_month=hours)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["hours_per_month"] == [
        "Give the hours you can offer a month: at least 1."
    ]
    assert not ProbonoWorker.objects.exists()


def test_outside_resident_must_work_remotely(client, resident):
    client.force_login(resident)
    data = registration_data(
        lives_in_prefecture="False",
        municipality="",
        home_region="東京都",
        work_mode="on_site",
    )

    response = client.post(reverse("probono:register_worker"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors["work_mode"]
    assert "People who live outside Yamaguchi take part remotely." in errors[0]
    assert not ProbonoWorker.objects.exists()


def test_outside_resident_needs_home_region(client, resident):
    client.force_login(resident)
    data = registration_data(
        lives_in_prefecture="False", municipality="", home_region="", work_mode="remote"
    )

    response = client.post(reverse("probono:register_worker"), data)

    assert response.status_code == 200
    assert "home_region" in response.context["form"].errors


def test_outside_remote_resident_registers(client, resident):
    client.force_login(resident)
    data = registration_data(
        lives_in_prefecture="False",
        home_region="Canada",
        work_mode="remote",
    )

    response = client.post(reverse("probono:register_worker"), data)

    assert response.status_code == 302
    worker = ProbonoWorker.objects.get(user=resident)
    assert not worker.lives_in_prefecture
    assert worker.home_region == "Canada"
    # A municipality sent along with an outside residence is dropped.
    assert worker.municipality is None


def test_register_twice_redirects_to_own_page(client, resident):
    ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    response = client.post(reverse("probono:register_worker"), registration_data())

    assert response.status_code == 302
    assert response.url == reverse("probono:my_worker")
    assert ProbonoWorker.objects.count() == 1


def test_register_needs_login(client):
    response = client.get(reverse("probono:register_worker"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_my_worker_shows_registration(client, resident):
    ProbonoWorkerFactory(user=resident, profession="ウェブデザイナー")
    client.force_login(resident)

    response = client.get(reverse("probono:my_worker"))

    assert response.status_code == 200
    assert "ウェブデザイナー" in response.content.decode()


def test_my_worker_shows_fields_of_interest(client, resident):
    worker = ProbonoWorkerFactory(user=resident)
    worker.activity_fields.set([activity_field(7)])
    client.force_login(resident)

    response = client.get(reverse("probono:my_worker"))

    assert str(activity_field(7)) in response.content.decode()


def test_my_worker_without_registration_links_to_register(client, resident):
    client.force_login(resident)

    response = client.get(reverse("probono:my_worker"))

    assert response.status_code == 200
    assert reverse("probono:register_worker") in response.content.decode()


def test_edit_changes_fields_and_skills(client, resident):
    worker = ProbonoWorkerFactory(user=resident)
    client.force_login(resident)
    data = edit_data(worker, profession="会計士", **{"skills-0-level": "1"})

    response = client.post(reverse("probono:edit_worker"), data)

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.profession == "会計士"
    assert worker.worker_skills.get().level == 1


def test_edit_rejects_on_site_outside_resident(client, resident):
    worker = ProbonoWorkerFactory(user=resident)
    client.force_login(resident)
    data = edit_data(
        worker, lives_in_prefecture="False", home_region="福岡県", work_mode="on_site"
    )

    response = client.post(reverse("probono:edit_worker"), data)

    assert response.status_code == 200
    assert "work_mode" in response.context["form"].errors
    worker.refresh_from_db()
    assert worker.lives_in_prefecture


def test_edit_without_registration_is_404(client, resident):
    client.force_login(resident)

    assert client.get(reverse("probono:edit_worker")).status_code == 404
    assert client.post(reverse("probono:pause_worker")).status_code == 404
    assert client.get(reverse("probono:delete_worker")).status_code == 404


def test_pause_and_resume(client, resident):
    worker = ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    client.post(reverse("probono:pause_worker"))

    worker.refresh_from_db()
    assert worker.status == ProbonoWorker.Status.PAUSED
    assert worker.paused_at is not None
    assert worker not in ProbonoWorker.objects.active()

    client.post(reverse("probono:resume_worker"))

    worker.refresh_from_db()
    assert worker.status == ProbonoWorker.Status.ACTIVE
    assert worker.paused_at is None
    assert worker in ProbonoWorker.objects.active()


def test_pause_is_post_only(client, resident):
    ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    assert client.get(reverse("probono:pause_worker")).status_code == 405


def test_resume_active_worker_shows_error(client, resident):
    ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    response = client.post(reverse("probono:resume_worker"), follow=True)

    assert "Only a paused registration can be resumed." in response.content.decode()


def test_delete_asks_for_confirmation(client, resident):
    worker = ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    response = client.get(reverse("probono:delete_worker"))

    assert response.status_code == 200
    worker.refresh_from_db()
    assert worker.status == ProbonoWorker.Status.ACTIVE


def test_delete_removes_personal_data(client, resident):
    worker = ProbonoWorkerFactory(
        user=resident, employer="山口銀行", skills_note="会計ソフトの導入"
    )
    client.force_login(resident)

    response = client.post(reverse("probono:delete_worker"))

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.user is None
    assert worker.status == ProbonoWorker.Status.DELETED
    assert worker.deleted_at is not None
    assert worker.profession == ""
    assert worker.employer == ""
    assert worker.skills_note == ""
    assert worker.municipality is None
    assert worker.contact_consent_at is None
    assert not worker.activity_fields.exists()
    # The skill area stays for anonymous counts by skill, without years.
    assert list(worker.worker_skills.values_list("skill__key", "years")) == [
        ("it_web", 0)
    ]
    resident.refresh_from_db()
    assert resident.is_active
    assert worker not in ProbonoWorker.objects.active()


def test_deleted_worker_still_counted(client, resident):
    ProbonoWorkerFactory()
    ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    client.post(reverse("probono:delete_worker"))

    later = timezone.now() + dt.timedelta(seconds=1)
    assert ProbonoWorker.objects.registered_by(later).count() == 2
    assert ProbonoWorker.objects.active().count() == 1
    assert WorkerSkill.objects.filter(skill__key="it_web").count() == 2


def test_register_again_after_delete(client, resident):
    ProbonoWorkerFactory(user=resident)
    client.force_login(resident)
    client.post(reverse("probono:delete_worker"))

    response = client.post(reverse("probono:register_worker"), registration_data())

    assert response.status_code == 302
    assert ProbonoWorker.objects.count() == 2
    assert ProbonoWorker.objects.get(user=resident).status == "active"


def test_worker_list_for_concierge_only(client, resident):
    ProbonoWorkerFactory()
    client.force_login(resident)

    assert client.get(reverse("probono:worker_list")).status_code == 403


def test_worker_detail_for_concierge_only(client, resident):
    worker = ProbonoWorkerFactory(user=resident)
    client.force_login(resident)

    # Even a worker's own row is read through /me/, not the concierge page.
    url = reverse("probono:worker_detail", args=[worker.pk])
    assert client.get(url).status_code == 403


def test_concierge_sees_worker_detail(client):
    worker = ProbonoWorkerFactory(profession="広報担当")
    client.force_login(concierge())

    response = client.get(reverse("probono:worker_detail", args=[worker.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "広報担当" in content
    assert worker.user.email in content


def test_concierge_cannot_edit_worker(client):
    ProbonoWorkerFactory()
    client.force_login(concierge())

    # The edit page edits only the signed-in user's own registration.
    assert client.get(reverse("probono:edit_worker")).status_code == 404


def test_worker_list_filters(client):
    web = ProbonoWorkerFactory(profession="web担当")
    ProbonoWorkerFactory(profession="経理担当", skill_keys=["accounting"])
    outside = ProbonoWorkerFactory(
        profession="遠隔担当",
        lives_in_prefecture=False,
        municipality=None,
        home_region="大阪府",
        work_mode="remote",
    )
    paused = ProbonoWorkerFactory(profession="休止中", status="paused")
    client.force_login(concierge())
    url = reverse("probono:worker_list")

    by_skill = client.get(url, {"skill": Skill.objects.get(key="accounting").pk})
    outside_only = client.get(url, {"lives_in_prefecture": "false"})
    remote_only = client.get(url, {"work_mode": "remote"})
    paused_only = client.get(url, {"status": "paused"})

    assert [w.profession for w in by_skill.context["page"]] == ["経理担当"]
    assert list(outside_only.context["page"]) == [outside]
    assert list(remote_only.context["page"]) == [outside]
    assert list(paused_only.context["page"]) == [paused]
    assert web in client.get(url).context["page"]


def test_worker_list_hides_deleted_by_default(client):
    kept = ProbonoWorkerFactory()
    deleted = ProbonoWorkerFactory(user=None, status="deleted")
    client.force_login(concierge())
    url = reverse("probono:worker_list")

    assert list(client.get(url).context["page"]) == [kept]
    assert list(client.get(url, {"status": "deleted"}).context["page"]) == [deleted]


def test_worker_list_queries_bounded(client, django_assert_max_num_queries):
    for _ in range(15):
        ProbonoWorkerFactory(skill_keys=["it_web", "writing"])
    client.force_login(concierge())

    with django_assert_max_num_queries(12):
        response = client.get(reverse("probono:worker_list"))

    assert len(response.context["page"]) == 15


def test_dashboard_links_to_registration(client, resident):
    client.force_login(resident)

    response = client.get(reverse("accounts:dashboard"))

    assert reverse("probono:my_worker") in response.content.decode()
