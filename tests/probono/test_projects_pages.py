import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from probono.models import (
    Evaluation,
    Milestone,
    ProbonoWorker,
    ProgressNote,
    ProjectMessage,
    RequestState,
    Skill,
    WorkLog,
)
from probono.services import projects
from tests.factories import GroupMembershipFactory
from tests.probono.factories_projects import (
    MilestoneFactory,
    make_concierge,
    make_project,
    member_user,
)

pytestmark = pytest.mark.django_db

S = RequestState


def workspace_url(project):
    return reverse("probono:project_workspace", args=[project.request.pk])


def action_url(project, name, *args):
    return reverse(f"probono:{name}", args=[project.request.pk, *args])


def as_user(person):
    return person.user if isinstance(person, ProbonoWorker) else person


OUTSIDERS = ["stranger", "pending_worker", "declined_worker", "other_project_worker"]


@pytest.mark.parametrize("viewer", ["staff", "concierge", "member"])
def test_participants_open_workspace(client, viewer):
    project = make_project()
    client.force_login(as_user(getattr(project, viewer)))

    response = client.get(workspace_url(project))

    assert response.status_code == 200


def test_any_concierge_opens_workspace(client):
    project = make_project()
    client.force_login(make_concierge())

    assert client.get(workspace_url(project)).status_code == 200


def test_anonymous_redirected_to_login(client):
    project = make_project()

    response = client.get(workspace_url(project))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404(client, outsider):
    project = make_project()
    client.force_login(as_user(getattr(project, outsider)))

    assert client.get(workspace_url(project)).status_code == 404


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("project_message", {"message-body": "Hi"}),
        (
            "project_milestone",
            {"milestone-title": "X", "milestone-due_on": "2099-01-01"},
        ),
        ("project_note", {"note-body": "Hi"}),
        ("project_hours", {"hours-hours": "1"}),
        (
            "project_evaluation",
            {"evaluation-party": "worker", "evaluation-rating": "5"},
        ),
    ],
)
def test_outsiders_cannot_post(client, outsider, name, data):
    project = make_project(S.IN_PROGRESS)
    client.force_login(as_user(getattr(project, outsider)))

    response = client.post(action_url(project, name), data)

    assert response.status_code == 404
    assert not ProjectMessage.objects.exists()
    assert not Milestone.objects.exists()
    assert not ProgressNote.objects.exists()
    assert not WorkLog.objects.exists()
    assert not Evaluation.objects.exists()


def test_anonymous_cannot_post(client):
    project = make_project()

    response = client.post(
        action_url(project, "project_message"), {"message-body": "Hi"}
    )

    assert response.status_code == 302
    assert not ProjectMessage.objects.exists()


def test_member_posts_message(client, django_capture_on_commit_callbacks):
    project = make_project()
    client.force_login(member_user(project.member))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(project, "project_message"), {"message-body": "Draft ready."}
        )

    assert response.status_code == 302
    assert response.url == workspace_url(project) + "#thread"
    assert ProjectMessage.objects.get().body == "Draft ready."
    assert len(mail.outbox) == 3


def test_thread_newest_at_bottom(client):
    project = make_project()
    projects.post_message(project.request, project.staff, "First message")
    projects.post_message(project.request, project.concierge, "Second message")
    client.force_login(project.staff)

    page = client.get(workspace_url(project)).content.decode()

    assert page.index("First message") < page.index("Second message")


def test_empty_message_rerenders(client):
    project = make_project()
    client.force_login(project.staff)

    response = client.post(
        action_url(project, "project_message"), {"message-body": " "}
    )

    assert response.status_code == 200
    assert response.context["message_form"].errors == {
        "body": ["This field is required."]
    }
    assert not ProjectMessage.objects.exists()


def test_message_after_close_rerenders_with_text(client):
    project = make_project(S.CLOSED)
    client.force_login(project.staff)

    response = client.post(
        action_url(project, "project_message"), {"message-body": "Late thought"}
    )

    assert response.status_code == 200
    form = response.context["message_form"]
    assert form.data["message-body"] == "Late thought"
    assert "Messages can no longer be posted" in form.non_field_errors()[0]
    assert "Late thought" in response.content.decode()


def test_staff_adds_milestone(client):
    project = make_project()
    client.force_login(project.staff)
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()

    response = client.post(
        action_url(project, "project_milestone"),
        {"milestone-title": "Design review", "milestone-due_on": due},
    )

    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.title == "Design review"
    assert milestone.created_by == project.staff


def test_past_milestone_rerenders_with_input(client):
    project = make_project()
    client.force_login(project.concierge)

    response = client.post(
        action_url(project, "project_milestone"),
        {"milestone-title": "Design review", "milestone-due_on": "2000-01-01"},
    )

    assert response.status_code == 200
    form = response.context["milestone_form"]
    assert form.errors == {"due_on": ["The due date cannot be in the past."]}
    assert 'value="Design review"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_member_cannot_add_milestone(client):
    project = make_project()
    client.force_login(member_user(project.member))
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()

    response = client.post(
        action_url(project, "project_milestone"),
        {"milestone-title": "Mine", "milestone-due_on": due},
    )

    assert response.status_code == 403
    assert not Milestone.objects.exists()


def test_mark_milestone_done(client):
    project = make_project(S.IN_PROGRESS)
    milestone = MilestoneFactory(request=project.request)
    client.force_login(project.staff)

    response = client.post(
        action_url(project, "project_milestone_done", milestone.pk),
        {f"done-{milestone.pk}-done_on": ""},
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == projects.japan_today()


def test_future_done_date_rerenders(client):
    project = make_project(S.IN_PROGRESS)
    milestone = MilestoneFactory(request=project.request)
    client.force_login(project.staff)

    response = client.post(
        action_url(project, "project_milestone_done", milestone.pk),
        {f"done-{milestone.pk}-done_on": "2099-01-01"},
    )

    assert response.status_code == 200
    (_milestone, form) = response.context["milestone_rows"][0]
    assert form.errors == {"done_on": ["The date done cannot be in the future."]}
    assert form.data[f"done-{milestone.pk}-done_on"] == "2099-01-01"


def test_member_cannot_mark_done(client):
    project = make_project(S.IN_PROGRESS)
    milestone = MilestoneFactory(request=project.request)
    client.force_login(member_user(project.member))

    response = client.post(action_url(project, "project_milestone_done", milestone.pk))

    assert response.status_code == 403


def test_milestone_of_other_request_not_found(client):
    project = make_project(S.IN_PROGRESS)
    other = MilestoneFactory()
    client.force_login(project.staff)

    response = client.post(action_url(project, "project_milestone_done", other.pk))

    assert response.status_code == 404


def test_member_adds_progress_note(client):
    project = make_project(S.IN_PROGRESS)
    client.force_login(member_user(project.member))

    response = client.post(action_url(project, "project_note"), {"note-body": "Done."})

    assert response.status_code == 302
    assert ProgressNote.objects.get().author == member_user(project.member)


def test_member_logs_hours(client):
    project = make_project(S.IN_PROGRESS)
    client.force_login(member_user(project.member))
    skill = Skill.objects.get(key="it_web")

    response = client.post(
        action_url(project, "project_hours"),
        {"hours-skill": skill.pk, "hours-hours": "3.5", "hours-worked_on": ""},
    )

    assert response.status_code == 302
    work_log = WorkLog.objects.get()
    assert work_log.worker == project.member
    assert str(work_log.hours) == "3.5"


@pytest.mark.parametrize("hours", ["0", "-2", "1.25", "abc"])
def test_bad_hours_rerender_with_input(client, hours):
    project = make_project(S.IN_PROGRESS)
    client.force_login(member_user(project.member))
    skill = Skill.objects.get(key="it_web")

    response = client.post(
        action_url(project, "project_hours"),
        {"hours-skill": skill.pk, "hours-hours": hours},
    )

    assert response.status_code == 200
    form = response.context["hours_form"]
    assert "hours" in form.errors
    assert form.data["hours-hours"] == hours
    assert not WorkLog.objects.exists()


def test_hours_in_other_skill_rejected(client):
    project = make_project(S.IN_PROGRESS)
    client.force_login(member_user(project.member))
    accounting = Skill.objects.get(key="accounting")

    response = client.post(
        action_url(project, "project_hours"),
        {"hours-skill": accounting.pk, "hours-hours": "1"},
    )

    assert response.status_code == 200
    assert "skill" in response.context["hours_form"].errors
    assert not WorkLog.objects.exists()


@pytest.mark.parametrize("viewer", ["staff", "concierge"])
def test_non_members_cannot_log_hours(client, viewer):
    project = make_project(S.IN_PROGRESS)
    client.force_login(getattr(project, viewer))

    response = client.post(action_url(project, "project_hours"), {"hours-hours": "1"})

    assert response.status_code == 403
    assert not WorkLog.objects.exists()


def test_hours_totals_shown(client):
    project = make_project(S.IN_PROGRESS)
    skill = Skill.objects.get(key="it_web")
    projects.log_hours(project.request, member_user(project.member), skill, "2.5")
    projects.log_hours(project.request, member_user(project.second_member), skill, 1)
    client.force_login(project.staff)

    response = client.get(workspace_url(project))

    assert response.context["hours"].total_hours == 3.5
    assert "3.5 hours in total" in response.content.decode()


def test_evaluation_form_only_on_turn(client):
    project = make_project(S.DELIVERED)
    client.force_login(project.staff)

    before = client.get(workspace_url(project))
    client.post(
        action_url(project, "project_evaluation"),
        {
            "evaluation-party": "group",
            "evaluation-rating": "5",
            "evaluation-comment": "Thanks",
        },
    )
    after = client.get(workspace_url(project))

    assert len(before.context["evaluation_forms"]) == 1
    assert after.context["evaluation_forms"] == []
    evaluation = Evaluation.objects.get()
    assert evaluation.party == "group"
    assert evaluation.comment == "Thanks"


def test_no_evaluation_form_before_delivery(client):
    project = make_project(S.IN_PROGRESS)
    client.force_login(member_user(project.member))

    response = client.get(workspace_url(project))

    assert response.context["evaluation_forms"] == []


def test_second_evaluation_rerenders(client):
    project = make_project(S.DELIVERED)
    projects.evaluate(project.request, member_user(project.member), "worker", 4)
    client.force_login(member_user(project.member))

    response = client.post(
        action_url(project, "project_evaluation"),
        {
            "evaluation-party": "worker",
            "evaluation-rating": "2",
            "evaluation-comment": "Again",
        },
    )

    assert response.status_code == 200
    assert "You have already evaluated this project." in response.content.decode()
    assert Evaluation.objects.get().rating == 4


def test_missing_rating_keeps_comment(client):
    project = make_project(S.DELIVERED)
    client.force_login(project.staff)

    response = client.post(
        action_url(project, "project_evaluation"),
        {"evaluation-party": "group", "evaluation-comment": "Very helpful"},
    )

    assert response.status_code == 200
    (form,) = response.context["evaluation_forms"]
    assert "rating" in form.errors
    assert "Very helpful" in response.content.decode()


def test_worker_cannot_evaluate_for_group(client):
    project = make_project(S.DELIVERED)
    client.force_login(member_user(project.member))

    response = client.post(
        action_url(project, "project_evaluation"),
        {"evaluation-party": "group", "evaluation-rating": "5"},
    )

    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_staff_page_shows_consented_contacts_only(client):
    project = make_project()
    project.second_member.contact_consent_at = None
    project.second_member.save()
    client.force_login(project.staff)

    page = client.get(workspace_url(project)).content.decode()

    assert member_user(project.member).email in page
    assert "090-1111-2222" in page
    assert member_user(project.second_member).email not in page
    assert "090-3333-4444" not in page
    assert "Not shared" in page
    assert member_user(project.pending_worker).email not in page
    assert "Pending Pete" not in page


def test_worker_page_hides_other_workers_details(client):
    project = make_project()
    project.second_member.user.full_name = ""
    project.second_member.user.save()
    client.force_login(member_user(project.member))

    page = client.get(workspace_url(project)).content.decode()

    assert member_user(project.second_member).email not in page
    assert "090-3333-4444" not in page
    assert "Unnamed participant" in page
    assert "ウェブデザイナー" not in page
    assert "contact@example.jp" in page
    assert "083-000-0000" in page
    assert project.concierge.email in page
    assert project.staff.email not in page


def test_message_author_shown_without_email(client):
    project = make_project()
    project.staff.full_name = ""
    project.staff.save()
    projects.post_message(project.request, project.staff, "Hello team")
    client.force_login(member_user(project.member))

    page = client.get(workspace_url(project)).content.decode()

    assert "Hello team" in page
    assert project.staff.email not in page


def test_workspace_query_count(client, django_assert_max_num_queries):
    project = make_project(S.DELIVERED)
    skill = Skill.objects.get(key="it_web")
    for number in range(15):
        projects.post_message(project.request, project.staff, f"Message {number}")
        projects.add_progress_note(project.request, project.staff, f"Note {number}")
        MilestoneFactory(request=project.request)
        projects.log_hours(project.request, member_user(project.member), skill, 1)
    client.force_login(member_user(project.member))

    with django_assert_max_num_queries(18):
        response = client.get(workspace_url(project))

    assert response.status_code == 200


def test_staff_workspace_query_count(client, django_assert_max_num_queries):
    project = make_project(S.IN_PROGRESS)
    for _number in range(15):
        MilestoneFactory(request=project.request)
    client.force_login(project.staff)

    with django_assert_max_num_queries(18):
        response = client.get(workspace_url(project))

    assert len(response.context["milestone_rows"]) == 15


def test_detail_page_links_workspace(client):
    project = make_project()
    client.force_login(project.staff)

    response = client.get(reverse("probono:request_detail", args=[project.request.pk]))

    assert workspace_url(project) in response.content.decode()


def list_titles(response):
    return [row.title for row in response.context["page"].object_list]


def test_list_for_each_role(client):
    project = make_project(S.IN_PROGRESS)
    early = make_project(S.PROPOSED)
    title = project.request.title

    client.force_login(member_user(project.member))
    assert list_titles(client.get(reverse("probono:project_list"))) == [title]
    client.force_login(project.staff)
    assert list_titles(client.get(reverse("probono:project_list"))) == [title]
    client.force_login(early.staff)
    assert list_titles(client.get(reverse("probono:project_list"))) == []
    client.force_login(member_user(project.pending_worker))
    assert list_titles(client.get(reverse("probono:project_list"))) == []


def test_list_shows_next_due_date(client):
    project = make_project(S.IN_PROGRESS)
    soon = projects.japan_today() + dt.timedelta(days=2)
    MilestoneFactory(request=project.request, due_on=soon + dt.timedelta(days=5))
    MilestoneFactory(request=project.request, due_on=soon)
    MilestoneFactory(
        request=project.request, due_on=soon - dt.timedelta(days=1), done_on=soon
    )
    client.force_login(project.staff)

    response = client.get(reverse("probono:project_list"))

    (row,) = response.context["page"].object_list
    assert row.next_due_on == soon


def test_list_empty_states(client):
    project = make_project(S.PROPOSED)

    client.force_login(project.stranger)
    stranger_page = client.get(reverse("probono:project_list")).content.decode()
    client.force_login(member_user(project.pending_worker))
    worker_page = client.get(reverse("probono:project_list")).content.decode()

    assert "You have no projects yet." in stranger_page
    assert "Register as a pro bono worker" in stranger_page
    assert "When you accept a proposal" in worker_page


def test_list_anonymous_redirected(client):
    response = client.get(reverse("probono:project_list"))

    assert response.status_code == 302


def test_list_query_count(client, django_assert_max_num_queries):
    concierge = make_concierge()
    for _number in range(12):
        project = make_project(S.IN_PROGRESS)
        MilestoneFactory(request=project.request)
    client.force_login(concierge)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("probono:project_list"))

    # Each project comes with another worker's project in the same state.
    assert len(response.context["page"].object_list) == 24


def test_pages_in_japanese(japanese_client):
    project = make_project(S.DELIVERED)
    project.staff.preferred_language = "ja"
    project.staff.save()
    japanese_client.force_login(project.staff)

    workspace = japanese_client.get(workspace_url(project))
    listing = japanese_client.get(reverse("probono:project_list"))

    assert workspace.status_code == 200
    assert listing.status_code == 200
    page = workspace.content.decode()
    assert '<html lang="ja">' in page
    assert "状態" in page
    assert "プロボノコンシェルジュ" in page
    assert '<html lang="ja">' in listing.content.decode()


def test_staff_member_on_team_evaluates_twice(client):
    project = make_project(S.DELIVERED)
    worker_user = member_user(project.member)
    GroupMembershipFactory(group=project.request.group, user=worker_user)
    client.force_login(worker_user)

    page = client.get(workspace_url(project))
    for party in ("group", "worker"):
        response = client.post(
            action_url(project, "project_evaluation"),
            {"evaluation-party": party, "evaluation-rating": "4"},
        )
        assert response.status_code == 302

    assert len(page.context["evaluation_forms"]) == 2
    content = page.content.decode()
    assert 'id="id_group_evaluation-rating_0"' in content
    assert 'id="id_worker_evaluation-rating_0"' in content
    assert sorted(Evaluation.objects.values_list("party", flat=True)) == [
        "group",
        "worker",
    ]
