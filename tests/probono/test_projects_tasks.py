import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from civic_portal.celery import app
from probono.models import Milestone, RequestState
from probono.services import projects
from probono.tasks.projects import send_progress_checks, send_project_message
from tests.probono.factories_projects import (
    MilestoneFactory,
    make_concierge,
    make_project,
    member_user,
)

pytestmark = pytest.mark.django_db

S = RequestState


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_message_mails_every_other_participant(django_capture_on_commit_callbacks):
    project = make_project()
    author = member_user(project.member)

    with django_capture_on_commit_callbacks(execute=True):
        projects.post_message(project.request, author, "The draft is online.")

    assert recipients() == sorted(
        [
            project.staff.email,
            member_user(project.second_member).email,
            project.concierge.email,
        ]
    )


def test_message_mail_sent_once_per_recipient(django_capture_on_commit_callbacks):
    project = make_project()
    with django_capture_on_commit_callbacks(execute=True):
        message = projects.post_message(project.request, project.staff, "Hello")
    first_count = len(mail.outbox)

    assert send_project_message(message.pk) == 0
    assert len(mail.outbox) == first_count == 3


def test_message_mail_hides_author_email(django_capture_on_commit_callbacks):
    project = make_project()
    author = member_user(project.member)

    with django_capture_on_commit_callbacks(execute=True):
        projects.post_message(project.request, author, "Hello " + "x" * 300)

    for sent in mail.outbox:
        assert author.email not in sent.body
        assert author.email not in sent.subject
        assert "Member Misaki wrote in the project" in sent.body
        assert "x" * 300 not in sent.body
        assert f"/probono/requests/{project.request.pk}/project/" in sent.body


def test_message_mail_in_recipient_language(django_capture_on_commit_callbacks):
    project = make_project()
    project.staff.preferred_language = "ja"
    project.staff.save()

    with django_capture_on_commit_callbacks(execute=True):
        projects.post_message(project.request, project.concierge, "Hello")

    by_address = {sent.to[0]: sent for sent in mail.outbox}
    assert "Staff Saburo 様" in by_address[project.staff.email].body
    member_mail = by_address[member_user(project.member).email]
    assert "Dear Member Misaki," in member_mail.body


def test_other_concierge_message_mails_participants(
    django_capture_on_commit_callbacks,
):
    project = make_project()
    stand_in = make_concierge()

    with django_capture_on_commit_callbacks(execute=True):
        projects.post_message(project.request, stand_in, "Covering this week.")

    assert stand_in.email not in recipients()
    assert project.concierge.email in recipients()


def test_progress_check_scheduled_by_beat():
    entry = app.conf.beat_schedule["send-milestone-progress-checks"]

    assert entry["task"] == "probono.tasks.projects.send_progress_checks"
    assert entry["task"] in app.tasks


def due_in(days):
    return projects.japan_today() + dt.timedelta(days=days)


@pytest.mark.parametrize("state", [S.KICKOFF, S.IN_PROGRESS])
def test_progress_check_sent_once(state):
    project = make_project(state)
    milestone = MilestoneFactory(request=project.request, due_on=due_in(3))

    assert send_progress_checks() == 4
    assert send_progress_checks() == 0

    milestone.refresh_from_db()
    assert milestone.check_sent_at is not None
    assert len(mail.outbox) == 4
    assert mail.outbox[0].subject == f'Progress check: milestone "{milestone.title}"'


def test_progress_check_due_today_wording():
    project = make_project()
    MilestoneFactory(request=project.request, title="Launch", due_on=due_in(0))

    send_progress_checks()

    assert 'The milestone "Launch"' in mail.outbox[0].body
    assert "is due today." in mail.outbox[0].body


def test_progress_check_not_for_done_milestone():
    project = make_project()
    MilestoneFactory(
        request=project.request, due_on=due_in(1), done_on=timezone.localdate()
    )

    assert send_progress_checks() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("days", [4, 10, -1])
def test_progress_check_only_within_window(days):
    project = make_project()
    MilestoneFactory(request=project.request, due_on=due_in(days))

    assert send_progress_checks() == 0


@pytest.mark.parametrize(
    "state",
    [S.TEAM_FORMED, S.DELIVERED, S.EVALUATED, S.CLOSED, S.ON_HOLD, S.CANCELLED],
)
def test_progress_check_not_in_other_states(state):
    project = make_project(state)
    milestone = MilestoneFactory(request=project.request, due_on=due_in(1))

    assert send_progress_checks() == 0
    milestone.refresh_from_db()
    assert milestone.check_sent_at is None


def test_progress_check_retry_sends_no_duplicate():
    project = make_project()
    milestone = MilestoneFactory(request=project.request, due_on=due_in(2))
    send_progress_checks()
    # A task that failed after mailing left check_sent_at empty.
    Milestone.objects.filter(pk=milestone.pk).update(check_sent_at=None)

    assert send_progress_checks() == 0
    assert len(mail.outbox) == 4
