import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from probono.models import CaseStudy, CaseStudyConsent, Proposal, Skill
from probono.services import case_studies as services
from probono.services.workers import delete_worker
from tests.factories import (
    GroupMembershipFactory,
    ProbonoWorkerFactory,
    SupportRequestFactory,
    UserFactory,
)
from tests.probono.factories_case_studies import (
    CaseStudyFactory,
    WorkLogFactory,
    closed_request,
    concierge_user,
    team_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def concierge():
    return concierge_user()


@pytest.fixture
def support_request(group):
    return closed_request(group=group)


@pytest.fixture
def staff(group):
    return GroupMembershipFactory(
        group=group, user__email="staff@example.jp", user__preferred_language="en"
    ).user


@pytest.fixture
def workers(support_request):
    return [team_member(support_request), team_member(support_request)]


@pytest.fixture
def case_study(support_request):
    return CaseStudyFactory(request=support_request)


def consent_all(case_study, staff, workers):
    services.give_consent(case_study, staff)
    for worker in workers:
        services.give_consent(case_study, worker.user, worker)


def test_initial_fields_from_request(support_request):
    WorkLogFactory(request=support_request, skill=Skill.objects.get(key="accounting"))

    fields = services.initial_fields(support_request)

    assert fields["title"] == support_request.title
    assert fields["challenge"] == support_request.description
    assert fields["work_done"] == support_request.outcome
    assert {skill.key for skill in fields["skills"]} == {"it_web", "accounting"}


def test_draft_asks_parties_for_consent(
    support_request, concierge, staff, workers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_study = services.draft_case_study(
            support_request,
            concierge,
            skills=Skill.objects.filter(key="it_web"),
            title=" New website ",
            challenge="Old site",
            work_done="Built a site",
            result="More visitors",
        )

    assert case_study.title == "New website"
    assert case_study.created_by == concierge
    assert case_study.published_at is None
    recipients = sorted(message.to[0] for message in mail.outbox)
    expected = sorted([staff.email, *(worker.user.email for worker in workers)])
    assert recipients == expected
    assert "New website" in mail.outbox[0].subject
    assert f"/probono/cases/{case_study.pk}/consent/" in mail.outbox[0].body


def test_draft_needs_closed_request(concierge):
    support_request = SupportRequestFactory(state="in_progress")

    with pytest.raises(ValidationError) as error:
        services.draft_case_study(
            support_request,
            concierge,
            skills=[],
            title="t",
            challenge="c",
            work_done="w",
            result="r",
        )

    assert error.value.messages == [
        "A case study can be written only for a closed request."
    ]


def test_draft_needs_concierge(support_request, staff):
    with pytest.raises(PermissionDenied):
        services.draft_case_study(
            support_request,
            staff,
            skills=[],
            title="t",
            challenge="c",
            work_done="w",
            result="r",
        )


def test_draft_only_once(case_study, concierge):
    with pytest.raises(ValidationError) as error:
        services.draft_case_study(
            case_study.request,
            concierge,
            skills=[],
            title="t",
            challenge="c",
            work_done="w",
            result="r",
        )

    assert error.value.code == "case_study_exists"


def test_publish_refused_without_any_consent(case_study, concierge, workers):
    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    message = error.value.messages[0]
    assert message.startswith("The case study cannot be published without")
    assert case_study.request.group.name in message
    for worker in workers:
        assert worker.user.full_name in message


def test_publish_names_only_missing_worker(case_study, concierge, staff, workers):
    services.give_consent(case_study, staff)
    services.give_consent(case_study, workers[0].user, workers[0])

    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    message = error.value.messages[0]
    assert workers[1].user.full_name in message
    assert workers[0].user.full_name not in message
    assert case_study.request.group.name not in message
    case_study.refresh_from_db()
    assert case_study.published_at is None


def test_publish_refused_while_group_missing(case_study, concierge, workers):
    for worker in workers:
        services.give_consent(case_study, worker.user, worker)

    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    assert case_study.request.group.name in error.value.messages[0]


def test_publish_refused_after_withdrawal(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers)
    services.withdraw_consent(case_study, workers[1].user, workers[1])

    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    assert workers[1].user.full_name in error.value.messages[0]


def test_publish_with_every_consent(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers)

    published_at = services.publish(case_study, concierge)

    case_study.refresh_from_db()
    assert case_study.published_at == published_at
    assert CaseStudy.objects.published().get() == case_study


def test_publish_needs_concierge(case_study, staff, workers):
    consent_all(case_study, staff, workers)

    with pytest.raises(PermissionDenied):
        services.publish(case_study, staff)


def test_publish_twice_rejected(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers)
    services.publish(case_study, concierge)

    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    assert error.value.code == "already_published"


def test_withdrawal_takes_case_study_down(
    case_study, concierge, staff, workers, caplog
):
    consent_all(case_study, staff, workers)
    services.publish(case_study, concierge)

    services.withdraw_consent(case_study, staff)

    case_study.refresh_from_db()
    assert case_study.published_at is None
    assert not CaseStudy.objects.published().exists()
    consent = CaseStudyConsent.objects.get(worker=None)
    assert consent.withdrawn_at is not None
    assert f"Case study {case_study.pk} taken down" in caplog.text


def test_worker_withdrawal_takes_down(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers)
    services.publish(case_study, concierge)

    services.withdraw_consent(case_study, workers[0].user, workers[0])

    case_study.refresh_from_db()
    assert case_study.published_at is None


def test_consent_given_again_after_withdrawal(case_study, staff):
    services.give_consent(case_study, staff)
    services.withdraw_consent(case_study, staff)

    consent = services.give_consent(case_study, staff)

    assert consent.withdrawn_at is None
    assert CaseStudyConsent.objects.count() == 1


def test_consent_twice_rejected(case_study, staff):
    services.give_consent(case_study, staff)

    with pytest.raises(ValidationError) as error:
        services.give_consent(case_study, staff)

    assert error.value.messages == ["This consent was already given."]


def test_withdraw_without_consent_rejected(case_study, staff):
    with pytest.raises(ValidationError) as error:
        services.withdraw_consent(case_study, staff)

    assert error.value.messages == ["There is no consent to withdraw."]


def test_stranger_cannot_consent_for_group(case_study, other_group_staff):
    with pytest.raises(PermissionDenied):
        services.give_consent(case_study, other_group_staff)

    assert not CaseStudyConsent.objects.exists()


def test_worker_cannot_consent_for_group(case_study, workers):
    with pytest.raises(PermissionDenied):
        services.give_consent(case_study, workers[0].user)


def test_stranger_cannot_consent_for_worker(case_study, workers, resident):
    with pytest.raises(PermissionDenied):
        services.give_consent(case_study, resident, workers[0])

    assert not CaseStudyConsent.objects.exists()


def test_worker_cannot_consent_for_teammate(case_study, workers):
    with pytest.raises(PermissionDenied):
        services.give_consent(case_study, workers[0].user, workers[1])


def test_staff_cannot_withdraw_for_worker(case_study, staff, workers):
    services.give_consent(case_study, workers[0].user, workers[0])

    with pytest.raises(PermissionDenied):
        services.withdraw_consent(case_study, staff, workers[0])


def test_worker_of_other_project_rejected(case_study):
    other_request = closed_request()
    outsider = team_member(other_request)

    with pytest.raises(PermissionDenied):
        services.give_consent(case_study, outsider.user, outsider)


def test_declined_worker_rejected(case_study):
    worker = ProbonoWorkerFactory()
    Proposal.objects.create(
        request=case_study.request,
        worker=worker,
        status=Proposal.Status.DECLINED,
        reply_by=case_study.created_at,
    )

    with pytest.raises(PermissionDenied):
        services.give_consent(case_study, worker.user, worker)


def test_deleted_worker_consent_kept(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers)
    delete_worker(workers[1])

    services.publish(case_study, concierge)

    assert case_study.published_at is not None


def test_deleted_worker_without_consent(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers[:1])
    delete_worker(workers[1])

    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    assert "left the bank without consenting" in error.value.messages[0]
    case_study.refresh_from_db()
    assert case_study.published_at is None


def test_deleted_after_withdrawal_blocks(case_study, concierge, staff, workers):
    consent_all(case_study, staff, workers)
    services.publish(case_study, concierge)
    services.withdraw_consent(case_study, workers[1].user, workers[1])
    delete_worker(workers[1])

    with pytest.raises(ValidationError) as error:
        services.publish(case_study, concierge)

    assert "left the bank without consenting" in error.value.messages[0]
    case_study.refresh_from_db()
    assert case_study.published_at is None
    status = services.consent_status(case_study)
    assert [party.left_without_consent for party in status] == [False, False, True]


def test_last_consent_tells_concierge(
    case_study, concierge, staff, workers, django_capture_on_commit_callbacks
):
    case_study.request.concierge = concierge
    case_study.request.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.give_consent(case_study, staff)
        services.give_consent(case_study, workers[0].user, workers[0])
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.give_consent(case_study, workers[1].user, workers[1])

    assert [message.to for message in mail.outbox] == [[concierge.email]]
    assert "Every consent is in" in mail.outbox[0].subject
    assert f"/probono/cases/{case_study.pk}/manage/" in mail.outbox[0].body


def test_consents_complete_mail_without_concierge(
    case_study, staff, django_capture_on_commit_callbacks
):
    first = concierge_user("first@example.jp")
    second = concierge_user("second@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        services.give_consent(case_study, staff)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_edit_removes_consents(
    case_study, concierge, staff, workers, django_capture_on_commit_callbacks
):
    consent_all(case_study, staff, workers)
    services.publish(case_study, concierge)

    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_case_study(
            case_study,
            concierge,
            skills=case_study.skills.all(),
            title=case_study.title,
            challenge=case_study.challenge,
            work_done="A different account of the work",
            result=case_study.result,
        )

    assert changed
    case_study.refresh_from_db()
    assert case_study.work_done == "A different account of the work"
    assert case_study.published_at is None
    assert not CaseStudyConsent.objects.exists()
    assert len(mail.outbox) == 3


def test_edit_without_change_keeps_consents(
    case_study, concierge, staff, django_capture_on_commit_callbacks
):
    services.give_consent(case_study, staff)

    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_case_study(
            case_study,
            concierge,
            skills=case_study.skills.all(),
            title=case_study.title,
            challenge=case_study.challenge,
            work_done=case_study.work_done,
            result=case_study.result,
        )

    assert not changed
    assert CaseStudyConsent.objects.count() == 1
    assert mail.outbox == []


def test_edit_of_skills_removes_consents(case_study, concierge, staff):
    services.give_consent(case_study, staff)

    changed = services.update_case_study(
        case_study,
        concierge,
        skills=Skill.objects.filter(key="accounting"),
        title=case_study.title,
        challenge=case_study.challenge,
        work_done=case_study.work_done,
        result=case_study.result,
    )

    assert changed
    assert not CaseStudyConsent.objects.exists()


def test_visible_to_public_and_concierge(case_study, concierge):
    published = CaseStudyFactory()
    CaseStudy.objects.filter(pk=published.pk).update(published_at=case_study.created_at)

    assert list(services.visible_to(UserFactory())) == [published]
    assert set(services.visible_to(concierge)) == {case_study, published}


def test_party_case_studies(case_study, staff, workers, resident):
    assert list(services.party_case_studies(staff)) == [case_study]
    assert list(services.party_case_studies(workers[0].user)) == [case_study]
    assert list(services.party_case_studies(resident)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Thanks to 山田 太郎.",
        "Thanks to 山田太郎.",
        "Thanks to 山田\u3000太郎.",
        "ｻﾄｳ helped.",
    ],
)
def test_draft_rejects_worker_name(support_request, concierge, text):
    team_member(support_request, user__full_name="山田 太郎")
    team_member(support_request, user__full_name="サトウ")

    with pytest.raises(ValidationError) as error:
        services.draft_case_study(
            support_request,
            concierge,
            skills=[],
            title="A new website",
            challenge="The site was old.",
            work_done=text,
            result="More members.",
        )

    assert list(error.value.error_dict) == ["work_done"]
    assert "must not name workers" in error.value.messages[0]
    assert not CaseStudy.objects.exists()


def test_edit_rejects_worker_name(case_study, concierge, workers):
    name = workers[0].user.full_name

    with pytest.raises(ValidationError) as error:
        services.update_case_study(
            case_study,
            concierge,
            skills=list(case_study.skills.all()),
            title=f"Built by {name}",
            challenge=case_study.challenge,
            work_done=case_study.work_done,
            result=case_study.result,
        )

    assert list(error.value.error_dict) == ["title"]
    case_study.refresh_from_db()
    assert name not in case_study.title
