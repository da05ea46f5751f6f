import datetime as dt

import pytest
from rest_framework.test import APIClient

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
from tests.probono.factories_projects import (
    MilestoneFactory,
    make_concierge,
    make_project,
    member_user,
)

pytestmark = pytest.mark.django_db

S = RequestState

CREATE_BODIES = {
    "messages": {"body": "Hello"},
    "milestones": {"title": "Design", "due_on": "2099-01-01"},
    "progress-notes": {"body": "Going well"},
    "work-logs": {"skill": "it_web", "hours": "1.5"},
    "evaluations": {"party": "worker", "rating": 5},
}
MODELS = [ProjectMessage, Milestone, ProgressNote, WorkLog, Evaluation]
OUTSIDERS = ["stranger", "pending_worker", "declined_worker", "other_project_worker"]


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(project, path):
    return f"/api/probono/requests/{project.request.pk}/{path}/"


def as_user(person):
    return person.user if isinstance(person, ProbonoWorker) else person


@pytest.mark.parametrize("path", list(CREATE_BODIES))
def test_anonymous_rejected(api, path):
    project = make_project()

    assert api.get(url(project, path)).status_code in (401, 403)
    assert api.post(url(project, path), CREATE_BODIES[path]).status_code in (401, 403)


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("path", list(CREATE_BODIES))
def test_outsiders_get_404(api, outsider, path):
    project = make_project(S.DELIVERED)
    api.force_authenticate(as_user(getattr(project, outsider)))

    assert api.get(url(project, path)).status_code == 404
    response = api.post(url(project, path), CREATE_BODIES[path], format="json")
    assert response.status_code == 404
    for model in MODELS:
        assert not model.objects.exists()


def test_unknown_request_404(api):
    api.force_authenticate(make_concierge())

    assert api.get("/api/probono/requests/999999/messages/").status_code == 404


def test_member_reads_and_posts_messages(api):
    project = make_project()
    projects.post_message(project.request, project.staff, "Welcome")
    api.force_authenticate(member_user(project.member))

    created = api.post(url(project, "messages"), {"body": " Thanks "}, format="json")
    listed = api.get(url(project, "messages"))

    assert created.status_code == 201
    assert created.data["body"] == "Thanks"
    assert created.data["author_name"] == "Member Misaki"
    assert [row["body"] for row in listed.data["results"]] == ["Welcome", "Thanks"]


def test_message_list_hides_emails(api):
    project = make_project()
    project.staff.full_name = ""
    project.staff.save()
    projects.post_message(project.request, project.staff, "Welcome")
    api.force_authenticate(member_user(project.member))

    response = api.get(url(project, "messages"))

    assert project.staff.email not in response.content.decode()
    assert response.data["results"][0]["author_name"] == "Unnamed participant"


def test_blank_message_400(api):
    project = make_project()
    api.force_authenticate(project.staff)

    response = api.post(url(project, "messages"), {"body": "   "}, format="json")

    assert response.status_code == 400
    assert not ProjectMessage.objects.exists()


def test_milestone_by_staff_and_done(api):
    project = make_project(S.IN_PROGRESS)
    api.force_authenticate(project.staff)
    due = (projects.japan_today() + dt.timedelta(days=3)).isoformat()

    created = api.post(
        url(project, "milestones"), {"title": "Design", "due_on": due}, format="json"
    )
    done = api.post(
        f"{url(project, 'milestones')}{created.data['id']}/done/", {}, format="json"
    )
    again = api.post(
        f"{url(project, 'milestones')}{created.data['id']}/done/", {}, format="json"
    )

    assert created.status_code == 201
    assert done.status_code == 200
    assert done.data["done_on"] == projects.japan_today().isoformat()
    assert again.status_code == 400
    assert "already marked done" in again.data["detail"]


def test_member_cannot_add_milestone(api):
    project = make_project()
    api.force_authenticate(member_user(project.member))

    response = api.post(url(project, "milestones"), CREATE_BODIES["milestones"])

    assert response.status_code == 403
    assert not Milestone.objects.exists()


def test_member_cannot_mark_done(api):
    project = make_project()
    milestone = MilestoneFactory(request=project.request)
    api.force_authenticate(member_user(project.member))

    response = api.post(f"{url(project, 'milestones')}{milestone.pk}/done/", {})

    assert response.status_code == 403


def test_past_milestone_400(api):
    project = make_project()
    api.force_authenticate(project.concierge)

    response = api.post(
        url(project, "milestones"),
        {"title": "Design", "due_on": "2000-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"due_on": ["The due date cannot be in the past."]}


def test_progress_note_wrong_state_400(api):
    project = make_project(S.TEAM_FORMED)
    api.force_authenticate(member_user(project.member))

    response = api.post(url(project, "progress-notes"), {"body": "Soon"})

    assert response.status_code == 400
    assert "from kickoff" in response.data["detail"]


def test_member_logs_hours(api):
    project = make_project(S.IN_PROGRESS)
    api.force_authenticate(member_user(project.member))

    created = api.post(url(project, "work-logs"), CREATE_BODIES["work-logs"])
    listed = api.get(url(project, "work-logs"))

    assert created.status_code == 201
    assert created.data["hours"] == "1.5"
    assert created.data["worker_name"] == "Member Misaki"
    assert listed.data["count"] == 1


@pytest.mark.parametrize("hours", ["0", "-1"])
def test_hours_must_be_positive(api, hours):
    project = make_project(S.IN_PROGRESS)
    api.force_authenticate(member_user(project.member))

    response = api.post(url(project, "work-logs"), {"skill": "it_web", "hours": hours})

    assert response.status_code == 400
    assert response.data == {"hours": ["Enter a number of hours greater than 0."]}
    assert not WorkLog.objects.exists()


@pytest.mark.parametrize("viewer", ["staff", "concierge"])
def test_non_members_cannot_log_hours(api, viewer):
    project = make_project(S.IN_PROGRESS)
    api.force_authenticate(getattr(project, viewer))

    response = api.post(url(project, "work-logs"), CREATE_BODIES["work-logs"])

    assert response.status_code == 403
    assert not WorkLog.objects.exists()


def test_evaluations_once_each(api):
    project = make_project(S.DELIVERED)
    api.force_authenticate(project.staff)

    first = api.post(
        url(project, "evaluations"),
        {"party": "group", "rating": 5, "comment": "Great"},
        format="json",
    )
    second = api.post(
        url(project, "evaluations"), {"party": "group", "rating": 1}, format="json"
    )

    assert first.status_code == 201
    assert first.data["worker_name"] is None
    assert second.status_code == 400
    assert second.data["detail"] == "The group has already evaluated this project."
    assert Evaluation.objects.get().rating == 5


def test_worker_evaluation_names_worker(api):
    project = make_project(S.DELIVERED)
    api.force_authenticate(member_user(project.member))

    response = api.post(url(project, "evaluations"), CREATE_BODIES["evaluations"])

    assert response.status_code == 201
    assert response.data["worker_name"] == "Member Misaki"


def test_worker_cannot_evaluate_for_group(api):
    project = make_project(S.DELIVERED)
    api.force_authenticate(member_user(project.member))

    response = api.post(url(project, "evaluations"), {"party": "group", "rating": 4})

    assert response.status_code == 403


def test_rating_out_of_range_400(api):
    project = make_project(S.DELIVERED)
    api.force_authenticate(project.staff)

    response = api.post(url(project, "evaluations"), {"party": "group", "rating": 9})

    assert response.status_code == 400
    assert response.data == {"rating": ["Give a rating from 1 to 5."]}


def test_any_concierge_reads(api):
    project = make_project()
    api.force_authenticate(make_concierge())

    for path in CREATE_BODIES:
        assert api.get(url(project, path)).status_code == 200


def test_message_list_query_count(api, django_assert_max_num_queries):
    project = make_project()
    for number in range(30):
        projects.post_message(project.request, project.staff, f"Message {number}")
    api.force_authenticate(member_user(project.member))

    with django_assert_max_num_queries(8):
        response = api.get(url(project, "messages"))

    assert response.data["count"] == 30


def test_work_log_list_query_count(api, django_assert_max_num_queries):
    project = make_project(S.IN_PROGRESS)
    web = Skill.objects.get(key="it_web")
    for worker in (project.member, project.second_member):
        for _number in range(10):
            projects.log_hours(project.request, member_user(worker), web, 1)
    api.force_authenticate(project.staff)

    with django_assert_max_num_queries(8):
        response = api.get(url(project, "work-logs"))

    assert response.data["count"] == 20
