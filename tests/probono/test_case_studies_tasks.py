import pytest
from django.core import mail

from probono.services import case_studies as services
from probono.tasks.case_studies import (
    ask_for_case_study_consent,
    tell_consents_complete,
)
from tests.factories import GroupMembershipFactory
from tests.probono.factories_case_studies import (
    CaseStudyFactory,
    concierge_user,
    team_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_study():
    return CaseStudyFactory()


@pytest.fixture
def staff(case_study):
    return GroupMembershipFactory(
        group=case_study.request.group, user__preferred_language="en"
    ).user


def test_consent_request_sent_once(case_study, staff):
    worker = team_member(case_study.request)

    first = ask_for_case_study_consent(case_study.pk, "1")
    again = ask_for_case_study_consent(case_study.pk, "1")

    assert first == 2
    assert again == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [staff.email, worker.user.email]
    )


def test_new_text_asks_again(case_study, staff):
    ask_for_case_study_consent(case_study.pk, "1")

    assert ask_for_case_study_consent(case_study.pk, "2") == 1


def test_person_in_two_roles_gets_one_mail(case_study, staff):
    worker = team_member(case_study.request, user=staff)

    sent = ask_for_case_study_consent(case_study.pk, "1")

    assert sent == 1
    assert worker.user == staff


def test_deleted_and_inactive_not_asked(case_study, staff):
    staff.is_active = False
    staff.save()

    assert ask_for_case_study_consent(case_study.pk, "1") == 0


def test_consent_request_in_japanese(case_study):
    GroupMembershipFactory(
        group=case_study.request.group, user__preferred_language="ja"
    )

    ask_for_case_study_consent(case_study.pk, "1")

    message = mail.outbox[0]
    assert case_study.title in message.subject
    assert "\n" not in message.subject
    assert case_study.request.group.name in message.body


def test_missing_case_study_sends_nothing():
    assert ask_for_case_study_consent(999, "1") == 0
    assert tell_consents_complete(999, "1") == 0


def test_complete_mail_skipped_after_withdrawal(case_study, staff):
    concierge = concierge_user()
    case_study.request.concierge = concierge
    case_study.request.save()
    services.give_consent(case_study, staff)
    services.withdraw_consent(case_study, staff)

    assert tell_consents_complete(case_study.pk, "1") == 0
    assert mail.outbox == []


def test_complete_mail_sent_once(case_study, staff):
    concierge = concierge_user()
    case_study.request.concierge = concierge
    case_study.request.save()
    services.give_consent(case_study, staff)

    assert tell_consents_complete(case_study.pk, "1") == 1
    assert tell_consents_complete(case_study.pk, "1") == 0
    assert mail.outbox[0].to == [concierge.email]
