"""The access log rejects changes and deletions at the model, queryset and database."""

import pytest
from django.db import DatabaseError, connection, transaction

from civic_portal.audit.models import AppendOnlyError, PersonalDataAccess
from civic_portal.privacy.services import delete_account
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def row():
    return PersonalDataAccess.objects.create(
        actor_id=1,
        actor_roles="staff",
        subject_id=2,
        action=PersonalDataAccess.Action.VIEWED,
        fields="accounts.User.email",
        view_name="volunteering:post_applications",
    )


def test_model_rejects_save_of_existing_row(row):
    row.fields = "accounts.User.phone"
    with pytest.raises(AppendOnlyError):
        row.save()
    row.refresh_from_db()
    assert row.fields == "accounts.User.email"


def test_model_rejects_delete(row):
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert PersonalDataAccess.objects.filter(pk=row.pk).exists()


def test_queryset_rejects_update(row):
    with pytest.raises(AppendOnlyError):
        PersonalDataAccess.objects.filter(pk=row.pk).update(subject_id=3)
    assert PersonalDataAccess.objects.get(pk=row.pk).subject_id == 2


def test_queryset_rejects_delete(row):
    with pytest.raises(AppendOnlyError):
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.count() == 1


def test_queryset_rejects_bulk_update(row):
    row.subject_id = 3
    with pytest.raises(AppendOnlyError):
        PersonalDataAccess.objects.bulk_update([row], ["subject_id"])


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_rejects_update(row):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(
            "UPDATE audit_personaldataaccess SET subject_id = 3 WHERE id = %s",
            [row.pk],
        )
    assert PersonalDataAccess.objects.get(pk=row.pk).subject_id == 2


def test_database_rejects_delete(row):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_personaldataaccess WHERE id = %s", [row.pk])
    assert PersonalDataAccess.objects.filter(pk=row.pk).exists()


@pytest.mark.postgres
def test_postgres_trigger_is_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = "
            "'audit_personaldataaccess'::regclass AND NOT tgisinternal"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert names == {"audit_personaldataaccess_append_only"}


def test_log_survives_account_deletion():
    actor = UserFactory()
    subject = UserFactory()
    PersonalDataAccess.objects.create(
        actor_id=actor.pk,
        subject_id=subject.pk,
        action=PersonalDataAccess.Action.VIEWED,
        fields="accounts.User.phone",
        view_name="test",
    )
    delete_account(subject)
    delete_account(actor)
    assert PersonalDataAccess.objects.filter(
        actor_id=actor.pk, subject_id=subject.pk
    ).exists()


# A transactional test without serialized_rollback lets the flush create the
# content types again under new ids, and a later test with serialized_rollback
# (tests/faults) then fails to restore the old ones.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transactional_flush_empties_log(row):
    # The flush after this test must pass the DELETE trigger (see
    # tests/conftest.py); the test after it finds the table empty.
    assert PersonalDataAccess.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_triggers_return_after_flush(row):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_personaldataaccess WHERE id = %s", [row.pk])
