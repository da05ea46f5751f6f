import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from probono.models import Evaluation, ProbonoWorker, RequestState, Skill, WorkLog
from probono.services import projects, workflow
from tests.factories import GroupMembershipFactory
from tests.probono.factories_projects import (
    MilestoneFactory,
    make_concierge,
    make_project,
    member_user,
)

pytestmark = pytest.mark.django_db

S = RequestState


def no_mail(event):
    pass


def web_skill():
    return Skill.objects.get(key="it_web")


def test_participants_are_staff_members_and_concierge():
    project = make_project()

    users = projects.participants(project.request)

    assert users == [
        project.staff,
        member_user(project.member),
        member_user(project.second_member),
        project.concierge,
    ]


def test_participants_skip_inactive_users():
    project = make_project()
    project.staff.is_active = False
    project.staff.save()

    assert project.staff not in projects.participants(project.request)


def test_can_take_part_by_role():
    project = make_project()
    request = project.request

    assert projects.can_take_part(project.staff, request)
    assert projects.can_take_part(project.concierge, request)
    assert projects.can_take_part(make_concierge(), request)
    assert projects.can_take_part(member_user(project.member), request)


@pytest.mark.parametrize(
    "outsider",
    ["stranger", "pending_worker", "declined_worker", "other_project_worker"],
)
def test_outsiders_cannot_take_part(outsider):
    project = make_project()
    user = getattr(project, outsider)
    user = user.user if isinstance(user, ProbonoWorker) else user

    assert not projects.can_take_part(user, project.request)
    with pytest.raises(ValidationError) as refused:
        projects.post_message(project.request, user, "Hello")
    assert refused.value.code == "role_not_allowed"


def test_anonymous_cannot_take_part():
    project = make_project()

    assert not projects.can_take_part(AnonymousUser(), project.request)


def test_deleted_worker_leaves_team():
    project = make_project()
    ProbonoWorker.objects.filter(pk=project.member.pk).update(
        status=ProbonoWorker.Status.DELETED, user=None
    )

    assert list(projects.team_members(project.request)) == [project.second_member]


def test_post_message_strips_and_stores_author():
    project = make_project(S.TEAM_FORMED)

    message = projects.post_message(project.request, project.staff, "  Hello  ")

    assert message.body == "Hello"
    assert message.author == project.staff


def test_post_message_needs_text():
    project = make_project()

    with pytest.raises(ValidationError) as refused:
        projects.post_message(project.request, project.staff, "   ")

    assert refused.value.message_dict == {"body": ["Write a message."]}


@pytest.mark.parametrize("state", [S.CLOSED, S.CANCELLED])
def test_no_messages_after_final_state(state):
    project = make_project(state)

    with pytest.raises(ValidationError) as refused:
        projects.post_message(project.request, project.staff, "Hello")

    assert refused.value.code == "wrong_state"


def test_milestone_by_staff_and_concierge():
    project = make_project()
    due = timezone.localdate() + dt.timedelta(days=5)

    first = projects.add_milestone(project.request, project.staff, "Design", due)
    second = projects.add_milestone(project.request, project.concierge, "Build", due)

    assert first.created_by == project.staff
    assert second.title == "Build"


def test_milestone_not_by_team_member():
    project = make_project()
    due = timezone.localdate() + dt.timedelta(days=5)

    with pytest.raises(ValidationError) as refused:
        projects.add_milestone(
            project.request, member_user(project.member), "Design", due
        )

    assert refused.value.code == "role_not_allowed"


@pytest.mark.parametrize("state", [S.TEAM_FORMED, S.CLOSED, S.ON_HOLD])
def test_milestone_only_from_kickoff(state):
    project = make_project(state)
    due = timezone.localdate() + dt.timedelta(days=5)

    with pytest.raises(ValidationError) as refused:
        projects.add_milestone(project.request, project.staff, "Design", due)

    assert refused.value.code == "wrong_state"
    assert str(S(state).label) in refused.value.messages[0]


def test_milestone_due_in_past_rejected():
    project = make_project()
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        projects.add_milestone(project.request, project.staff, "Design", yesterday)

    assert refused.value.message_dict == {
        "due_on": ["The due date cannot be in the past."]
    }


def test_mark_done_once():
    project = make_project(S.IN_PROGRESS)
    milestone = MilestoneFactory(request=project.request)

    projects.mark_done(milestone, project.concierge)
    milestone.refresh_from_db()
    assert milestone.done_on == projects.japan_today()

    with pytest.raises(ValidationError) as refused:
        projects.mark_done(milestone, project.staff)
    assert refused.value.code == "already_done"


def test_mark_done_not_by_worker():
    project = make_project(S.IN_PROGRESS)
    milestone = MilestoneFactory(request=project.request)

    with pytest.raises(ValidationError) as refused:
        projects.mark_done(milestone, member_user(project.member))

    assert refused.value.code == "role_not_allowed"
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_progress_note_by_worker_and_outsider():
    project = make_project(S.IN_PROGRESS)

    note = projects.add_progress_note(
        project.request, member_user(project.member), "Wireframes ready."
    )
    assert note.body == "Wireframes ready."

    with pytest.raises(ValidationError) as refused:
        projects.add_progress_note(
            project.request, member_user(project.pending_worker), "Hi"
        )
    assert refused.value.code == "role_not_allowed"


def test_progress_note_before_kickoff_rejected():
    project = make_project(S.TEAM_FORMED)

    with pytest.raises(ValidationError) as refused:
        projects.add_progress_note(project.request, project.staff, "Soon.")

    assert refused.value.code == "wrong_state"


def test_log_hours_by_member():
    project = make_project(S.IN_PROGRESS)

    work_log = projects.log_hours(
        project.request,
        member_user(project.member),
        web_skill(),
        "2.5",
        timezone.localdate(),
    )

    assert work_log.worker == project.member
    assert work_log.hours == Decimal("2.5")


def test_log_hours_in_request_skill():
    project = make_project(S.IN_PROGRESS)
    accounting = Skill.objects.get(key="accounting")
    project.request.skills.add(accounting)

    work_log = projects.log_hours(
        project.request, member_user(project.member), accounting, 1
    )

    assert work_log.skill == accounting


def test_log_hours_in_other_skill_rejected():
    project = make_project(S.IN_PROGRESS)
    accounting = Skill.objects.get(key="accounting")

    with pytest.raises(ValidationError) as refused:
        projects.log_hours(project.request, member_user(project.member), accounting, 1)

    assert list(refused.value.message_dict) == ["skill"]


@pytest.mark.parametrize(
    ("hours", "worked_on", "message"),
    [
        ("0", None, "Enter a number of hours greater than 0."),
        ("-1", None, "Enter a number of hours greater than 0."),
        ("1.25", None, "Enter the hours in steps of 0.1, for example 1.5."),
        ("abc", None, "Enter the hours as a number, for example 1.5."),
        ("NaN", None, "Enter a number of hours greater than 0."),
        ("25", "today", "Enter at most 24 hours in one entry."),
        ("201", None, "Enter at most 200 hours in one entry."),
    ],
)
def test_log_hours_validation(hours, worked_on, message):
    project = make_project(S.IN_PROGRESS)
    day = timezone.localdate() if worked_on else None

    with pytest.raises(ValidationError) as refused:
        projects.log_hours(
            project.request, member_user(project.member), web_skill(), hours, day
        )

    assert refused.value.message_dict == {"hours": [message]}
    assert not WorkLog.objects.exists()


def test_log_hours_future_day_rejected():
    project = make_project(S.IN_PROGRESS)
    tomorrow = projects.japan_today() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        projects.log_hours(
            project.request, member_user(project.member), web_skill(), 1, tomorrow
        )

    assert list(refused.value.message_dict) == ["worked_on"]


@pytest.mark.parametrize(
    "actor", ["staff", "concierge", "stranger", "pending_worker", "declined_worker"]
)
def test_log_hours_only_by_members(actor):
    project = make_project(S.IN_PROGRESS)
    user = getattr(project, actor)
    user = user.user if isinstance(user, ProbonoWorker) else user

    with pytest.raises(ValidationError) as refused:
        projects.log_hours(project.request, user, web_skill(), 1)

    assert refused.value.code == "role_not_allowed"
    assert not WorkLog.objects.exists()


@pytest.mark.parametrize("state", [S.KICKOFF, S.DELIVERED, S.EVALUATED])
def test_log_hours_from_kickoff_to_evaluated(state):
    project = make_project(state)

    projects.log_hours(project.request, member_user(project.member), web_skill(), 1)

    assert WorkLog.objects.count() == 1


@pytest.mark.parametrize("state", [S.TEAM_FORMED, S.CLOSED, S.CANCELLED])
def test_log_hours_outside_work_rejected(state):
    project = make_project(state)

    with pytest.raises(ValidationError) as refused:
        projects.log_hours(project.request, member_user(project.member), web_skill(), 1)

    assert refused.value.code == "wrong_state"


def test_hours_summary_with_value():
    project = make_project(S.IN_PROGRESS)
    skill = web_skill()
    skill.hourly_value = 4000
    skill.save()
    projects.log_hours(project.request, member_user(project.member), skill, "1.5")
    projects.log_hours(project.request, member_user(project.second_member), skill, 2)

    summary = projects.summarise_hours(
        project.request.work_logs.select_related("worker__user", "skill")
    )

    assert summary.total_hours == Decimal("3.5")
    assert summary.estimated_value == 14000
    assert sorted((row.label, row.hours) for row in summary.by_worker) == [
        ("Member Makoto", Decimal("2")),
        ("Member Misaki", Decimal("1.5")),
    ]
    assert [(row.hours, row.estimated_value) for row in summary.by_skill] == [
        (Decimal("3.5"), 14000)
    ]


def test_evaluation_once_per_party():
    project = make_project(S.DELIVERED)
    worker_user = member_user(project.member)

    group_eval = projects.evaluate(project.request, project.staff, "group", 5, "Great")
    worker_eval = projects.evaluate(project.request, worker_user, "worker", 4)

    assert group_eval.worker is None
    assert worker_eval.worker == project.member
    with pytest.raises(ValidationError) as again:
        projects.evaluate(project.request, project.staff, "group", 3)
    assert again.value.code == "already_evaluated"
    with pytest.raises(ValidationError) as again:
        projects.evaluate(project.request, worker_user, "worker", 3)
    assert again.value.code == "already_evaluated"
    assert Evaluation.objects.count() == 2


def test_evaluation_by_second_staff_member_rejected():
    project = make_project(S.DELIVERED)
    projects.evaluate(project.request, project.staff, "group", 5)
    colleague = GroupMembershipFactory(group=project.request.group).user

    with pytest.raises(ValidationError) as again:
        projects.evaluate(project.request, colleague, "group", 2)

    assert again.value.messages == ["The group has already evaluated this project."]


@pytest.mark.parametrize(
    ("actor", "party"),
    [
        ("concierge", "group"),
        ("concierge", "worker"),
        ("member", "group"),
        ("staff", "worker"),
        ("pending_worker", "worker"),
        ("stranger", "group"),
    ],
)
def test_evaluation_wrong_party_rejected(actor, party):
    project = make_project(S.DELIVERED)
    user = getattr(project, actor)
    user = user.user if isinstance(user, ProbonoWorker) else user

    with pytest.raises(ValidationError) as refused:
        projects.evaluate(project.request, user, party, 4)

    assert refused.value.code == "role_not_allowed"


@pytest.mark.parametrize("state", [S.IN_PROGRESS, S.EVALUATED])
def test_evaluation_only_when_delivered(state):
    project = make_project(state)

    with pytest.raises(ValidationError) as refused:
        projects.evaluate(project.request, project.staff, "group", 4)

    assert refused.value.code == "wrong_state"


@pytest.mark.parametrize("rating", [0, 6, "5"])
def test_evaluation_rating_range(rating):
    project = make_project(S.DELIVERED)

    with pytest.raises(ValidationError) as refused:
        projects.evaluate(project.request, project.staff, "group", rating)

    assert refused.value.message_dict == {"rating": ["Give a rating from 1 to 5."]}


def test_open_evaluation_parties():
    project = make_project(S.DELIVERED)
    staff_access = projects.access_of(project.staff, project.request)
    member_access = projects.access_of(member_user(project.member), project.request)

    assert projects.open_evaluation_parties(staff_access, project.request, []) == [
        "group"
    ]
    given = [projects.evaluate(project.request, project.staff, "group", 5)]
    assert projects.open_evaluation_parties(staff_access, project.request, given) == []
    assert projects.open_evaluation_parties(member_access, project.request, given) == [
        "worker"
    ]


def test_evaluated_needs_every_evaluation():
    project = make_project(S.DELIVERED)
    request = project.request

    with pytest.raises(ValidationError) as refused:
        workflow.transition(request, S.EVALUATED, project.concierge, on_commit=no_mail)
    assert refused.value.code == "evaluations_missing"
    assert refused.value.messages == [
        "The request cannot be marked evaluated yet. Evaluations are missing "
        "from: the group, Member Misaki, Member Makoto."
    ]

    projects.evaluate(request, project.staff, "group", 5)
    projects.evaluate(request, member_user(project.member), "worker", 5)
    with pytest.raises(ValidationError) as refused:
        workflow.transition(request, S.EVALUATED, project.concierge, on_commit=no_mail)
    assert "from: Member Makoto." in refused.value.messages[0]

    projects.evaluate(request, member_user(project.second_member), "worker", 4)
    workflow.transition(request, S.EVALUATED, project.concierge, on_commit=no_mail)
    request.refresh_from_db()
    assert request.state == S.EVALUATED


def contact_rows(project, viewer):
    access = projects.access_of(viewer, project.request)
    members = projects.team_members(project.request)
    return projects.team_contacts(access, project.request, members)


@pytest.mark.parametrize("viewer", ["staff", "concierge"])
def test_staff_see_consented_contacts(viewer):
    project = make_project()
    project.second_member.contact_consent_at = None
    project.second_member.save()

    contacts = contact_rows(project, getattr(project, viewer))

    by_name = {row.name: row for row in contacts.members}
    consented = by_name["Member Misaki"]
    assert consented.email == member_user(project.member).email
    assert consented.phone == "090-1111-2222"
    assert consented.profession == "ウェブデザイナー"
    not_consented = by_name["Member Makoto"]
    assert not_consented.email == ""
    assert not_consented.phone == ""
    assert not_consented.profession == "ウェブデザイナー"


def test_staff_never_see_pending_workers():
    project = make_project()

    contacts = contact_rows(project, project.staff)

    names = {row.name for row in contacts.members}
    assert names == {"Member Misaki", "Member Makoto"}


def test_worker_sees_names_and_group_contact_only():
    project = make_project()

    contacts = contact_rows(project, member_user(project.member))

    for row in contacts.members:
        assert row.email == ""
        assert row.phone == ""
        assert row.profession == ""
    assert {row.name for row in contacts.members} == {"Member Misaki", "Member Makoto"}
    assert contacts.group_contact.name == "Hanako Contact"
    assert contacts.group_contact.email == "contact@example.jp"
    assert contacts.group_contact.phone == "083-000-0000"
    assert contacts.concierge.name == "Concierge Chiyo"
    assert contacts.concierge.email == project.concierge.email


def test_outsider_sees_no_contacts():
    project = make_project()

    contacts = contact_rows(project, project.stranger)

    assert contacts.members == []
    assert contacts.group_contact is None
    assert contacts.concierge is None


def test_display_name_never_email():
    project = make_project()
    project.staff.full_name = ""
    project.staff.save()

    assert projects.display_name(project.staff) == "Unnamed participant"


def test_projects_of_each_role():
    project = make_project(S.IN_PROGRESS)
    early = make_project(S.PROPOSED)

    assert list(projects.projects_of(member_user(project.member))) == [project.request]
    assert list(projects.projects_of(project.staff)) == [project.request]
    assert list(projects.projects_of(early.staff)) == []
    assert set(projects.projects_of(project.concierge)) == {
        project.request,
        project.other_project_worker.proposals.get().request,
    }
    assert list(projects.projects_of(member_user(project.pending_worker))) == []
    assert list(projects.projects_of(project.stranger)) == []
