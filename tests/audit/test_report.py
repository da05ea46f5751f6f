"""The incident report: the admin page, its CSV and the management command."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.selectors import affected_people
from civic_portal.audit.services import USER_EMAIL, USER_PHONE, Action, record_access
from civic_portal.privacy.services import delete_account
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("admin:audit_personaldataaccess_incident_report")
WINDOW = {"since": "2026-04-01 00:00", "until": "2026-04-08 00:00"}


def _at(day, hour=12):
    return dt.datetime(2026, 4, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def accesses():
    """Alice and Bob seen inside the window (Bob by another actor), Carol after it."""
    actor = UserFactory(is_staff=True)
    other_actor = UserFactory(is_staff=True)
    alice = UserFactory(email="alice@example.jp")
    bob = UserFactory(email="=cmd@example.jp")
    carol = UserFactory(email="carol@example.jp")
    rows = [
        (actor, alice, [USER_EMAIL], _at(2)),
        (actor, alice, [USER_PHONE], _at(5)),
        (other_actor, bob, [USER_EMAIL], _at(3)),
        (actor, carol, [USER_PHONE], _at(20)),
    ]
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            actor_id=viewer.pk,
            subject_id=subject.pk,
            action=Action.VIEWED,
            fields=",".join(fields),
            view_name="test:page",
            accessed_at=when,
        )
        for viewer, subject, fields, when in rows
    )
    return {"actor": actor, "alice": alice, "bob": bob, "carol": carol}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _command(*args):
    output = StringIO()
    call_command("audit_access_report", *args, stdout=output)
    return output.getvalue()


def test_command_json_lists_affected_people(accesses):
    output = _command(
        "--since", "2026-04-01", "--until", "2026-04-08", "--format", "json"
    )
    people = {person["subject_id"]: person for person in json.loads(output)}
    alice = people[accesses["alice"].pk]
    assert set(people) == {accesses["alice"].pk, accesses["bob"].pk}
    assert alice["current_email"] == "alice@example.jp"
    assert alice["fields"] == [USER_EMAIL, USER_PHONE]
    assert alice["first_access"] == _at(2).isoformat()
    assert alice["last_access"] == _at(5).isoformat()
    assert alice["accesses"] == 2
    assert alice["actor_ids"] == [accesses["actor"].pk]


def test_command_filters_by_actor_and_field(accesses):
    output = _command(
        "--since",
        "2026-04-01",
        "--until",
        "2026-04-30",
        "--actor",
        str(accesses["actor"].pk),
        "--field",
        USER_PHONE,
        "--format",
        "json",
    )
    people = json.loads(output)
    assert {person["subject_id"] for person in people} == {
        accesses["alice"].pk,
        accesses["carol"].pk,
    }


def test_command_csv_neutralises_formulas(accesses):
    output = _command("--since", "2026-04-01", "--until", "2026-04-08")
    assert output.startswith("\ufeffsubject_id,current_email,fields")
    assert "'=cmd@example.jp" in output
    assert ",=cmd" not in output


def test_command_hides_deleted_account_email(accesses):
    delete_account(accesses["alice"])
    output = _command(
        "--since", "2026-04-01", "--until", "2026-04-08", "--format", "json"
    )
    people = {person["subject_id"]: person for person in json.loads(output)}
    assert people[accesses["alice"].pk]["current_email"] == ""


def test_command_rejects_reversed_window():
    with pytest.raises(CommandError, match="later than"):
        _command("--since", "2026-04-08", "--until", "2026-04-01")


def test_command_rejects_invalid_date():
    with pytest.raises(CommandError, match="Invalid date"):
        _command("--since", "April", "--until", "2026-04-01")


def test_command_logs_counts_without_emails(accesses, caplog):
    caplog.set_level("INFO", logger="civic_portal.audit")
    _command("--since", "2026-04-01", "--until", "2026-04-08")
    assert "finished with 2 affected people" in caplog.text
    assert "alice@example.jp" not in caplog.text


def test_report_queries_bounded(accesses, django_assert_max_num_queries):
    since, until = _at(1, 0), timezone.now() + dt.timedelta(days=1)

    for _ in range(30):
        record_access(accesses["actor"], [UserFactory()], [USER_EMAIL], source="t:p")
    with django_assert_max_num_queries(3):
        people = affected_people(since, until)
    assert len(people) == 33


def test_admin_report_page_lists_people(accesses, admin_client):
    response = admin_client.get(REPORT_URL, WINDOW)
    assert response.status_code == 200
    assert "alice@example.jp" in response.content.decode()
    assert "carol@example.jp" not in response.content.decode()


def test_admin_report_page_is_logged(accesses, admin_client):
    admin_client.get(REPORT_URL, WINDOW)
    rows = PersonalDataAccess.objects.filter(
        view_name="admin:audit_personaldataaccess_incident_report"
    )
    assert {row.subject_id for row in rows} == {
        accesses["alice"].pk,
        accesses["bob"].pk,
    }
    assert {row.fields for row in rows} == {USER_EMAIL}


def test_admin_report_csv_download(accesses, admin_client):
    response = admin_client.get(REPORT_URL, {**WINDOW, "download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert "'=cmd@example.jp" in content
    exported = PersonalDataAccess.objects.filter(action=Action.EXPORTED)
    assert exported.count() == 2


def test_admin_report_rejects_reversed_window(admin_client):
    response = admin_client.get(
        REPORT_URL, {"since": "2026-04-08 00:00", "until": "2026-04-01 00:00"}
    )
    assert response.status_code == 200
    assert "The end must be later than the start." in response.content.decode()


@pytest.mark.parametrize(
    "flags",
    [{"is_staff": True}, {"is_staff": False}],
    ids=["staff_without_permission", "resident"],
)
def test_report_rejects_non_administrators(accesses, client, flags):
    client.force_login(UserFactory(**flags))
    response = client.get(REPORT_URL, WINDOW)
    assert response.status_code in (302, 403)
    assert "alice@example.jp" not in response.content.decode()


def test_changelist_rejects_non_administrators(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:audit_personaldataaccess_changelist"))
    assert response.status_code == 403


def test_admin_is_read_only_for_superusers(accesses, admin_client):
    row = PersonalDataAccess.objects.first()
    changelist = admin_client.get(reverse("admin:audit_personaldataaccess_changelist"))
    add = admin_client.get(reverse("admin:audit_personaldataaccess_add"))
    delete = admin_client.post(
        reverse("admin:audit_personaldataaccess_delete", args=[row.pk]), {"post": "yes"}
    )
    change = admin_client.post(
        reverse("admin:audit_personaldataaccess_change", args=[row.pk]),
        {"subject_id": 1},
    )
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert add.status_code == 403
    assert delete.status_code == 403
    assert change.status_code == 403
    assert PersonalDataAccess.objects.count() == 4
    row.refresh_from_db()
    assert row.subject_id != 1


def test_admin_filters_by_field(accesses, admin_client):
    response = admin_client.get(
        reverse("admin:audit_personaldataaccess_changelist"), {"field": USER_PHONE}
    )
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2


def test_admin_searches_subject_id(accesses, admin_client):
    response = admin_client.get(
        reverse("admin:audit_personaldataaccess_changelist"),
        {"q": str(accesses["alice"].pk)},
    )
    assert {row.subject_id for row in response.context["cl"].result_list} == {
        accesses["alice"].pk
    }


def test_admin_filters_by_actor(accesses, admin_client):
    response = admin_client.get(
        reverse("admin:audit_personaldataaccess_changelist"),
        {"actor_id": accesses["actor"].pk},
    )
    rows = response.context["cl"].result_list
    assert response.status_code == 200
    assert len(rows) == 3
    assert {row.actor_id for row in rows} == {accesses["actor"].pk}
