from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_of
from probono.demo import DEMO_ACCOUNTS
from probono.models import (
    CaseStudy,
    CaseStudyConsent,
    Evaluation,
    Interest,
    Milestone,
    ProbonoWorker,
    ProgressNote,
    ProjectMessage,
    Proposal,
    RequestEvent,
    RequestState,
    SupportRequest,
    WorkLog,
    WorkMode,
)
from probono.permissions import is_concierge
from probono.services.case_studies import team_members
from probono.services.proposals import load_of
from volunteering.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def load() -> str:
    output = StringIO()
    call_command("load_demo_data", "--size", "small", "--seed", "7", stdout=output)
    return output.getvalue()


@pytest.fixture
def demo_output():
    return load()


# Loading the small set is the slow part, so one test checks the rows and
# calls the check_* helpers below, each for one part of the bank.
def test_demo_rows_cover_the_bank(demo_output):
    check_every_state()
    check_history_spans_two_fiscal_years()
    check_workers_and_capacity()
    check_case_studies_have_every_consent()
    check_accounts(demo_output)


def check_every_state():
    states = set(SupportRequest.objects.values_list("state", flat=True))
    statuses = set(Proposal.objects.values_list("status", flat=True))

    assert states == set(RequestState.values)
    assert {"pending", "accepted", "declined", "lapsed"} <= statuses
    for model in (Interest, ProjectMessage, Milestone, ProgressNote, WorkLog):
        assert model.objects.exists(), model.__name__
    assert Evaluation.objects.filter(party=Evaluation.Party.GROUP).exists()
    assert Evaluation.objects.filter(party=Evaluation.Party.WORKER).exists()
    assert Milestone.objects.filter(done_on__isnull=False).exists()


def check_history_spans_two_fiscal_years():
    this_year = fiscal_year_of(timezone.now())
    years = {
        fiscal_year_of(moment)
        for moment in RequestEvent.objects.values_list("created_at", flat=True)
    }
    latest = RequestEvent.objects.order_by("-created_at").first()
    unordered = [
        request.pk
        for request in SupportRequest.objects.all()
        if list(
            request.events.order_by("created_at", "pk").values_list(
                "to_state", flat=True
            )
        )[-1]
        != request.state
    ]

    # Early in April the current fiscal year may have no step yet.
    assert years <= {this_year - 1, this_year}
    assert this_year - 1 in years
    assert latest.created_at < timezone.now()
    assert unordered == []


def check_workers_and_capacity():
    workers = ProbonoWorker.objects.all()
    outside = workers.filter(lives_in_prefecture=False)
    over_capacity = [w.pk for w in workers if load_of(w) > w.max_projects]

    assert outside.exists()
    assert not outside.exclude(work_mode=WorkMode.REMOTE).exists()
    assert workers.filter(status=ProbonoWorker.Status.PAUSED).exists()
    assert workers.filter(status=ProbonoWorker.Status.DELETED).count() == 1
    assert over_capacity == []


def check_case_studies_have_every_consent():
    published = CaseStudy.objects.published()

    assert published.count() == 2
    for case_study in published:
        consents = CaseStudyConsent.objects.filter(
            case_study=case_study, withdrawn_at__isnull=True
        )
        workers = set(team_members(case_study.request).values_list("pk", flat=True))
        assert consents.filter(worker__isnull=True).count() == 1
        assert (
            set(consents.filter(worker__isnull=False).values_list("worker", flat=True))
            == workers
        )
        assert workers


def check_accounts(demo_output):
    concierge = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    worker = User.objects.get(email=DEMO_ACCOUNTS[1].email)

    for account in DEMO_ACCOUNTS:
        assert account.email in demo_output
    assert is_concierge(concierge)
    assert concierge.check_password(DEMO_PASSWORD)
    assert worker.probono_worker.proposals.filter(status="pending").exists()
    assert (
        CaseStudy.objects.published()
        .filter(request__proposals__worker__user=worker)
        .exists()
    )


def test_demo_pages_show_the_rows(demo_output, client):
    published = CaseStudy.objects.published()

    listing = client.get(reverse("probono:case_study_list"))
    client.force_login(User.objects.get(email=DEMO_ACCOUNTS[0].email))
    response = client.get(reverse("probono:statistics"))

    figures = response.context["figures"]
    assert response.status_code == 200
    assert sum(figures.requests_by_state.values()) > 0
    assert figures.total_hours > 0
    assert figures.total_value > 0
    assert figures.active_inside > 0
    assert figures.active_outside > 0
    assert list(figures.registrants.values())[-1] == ProbonoWorker.objects.count()
    assert figures.median_days
    assert listing.status_code == 200
    for case_study in published:
        assert case_study.title in listing.content.decode()


def test_demo_second_load_creates_nothing(demo_output):
    models = (
        User,
        ProbonoWorker,
        SupportRequest,
        RequestEvent,
        Proposal,
        Interest,
        ProjectMessage,
        WorkLog,
        Evaluation,
        CaseStudy,
        CaseStudyConsent,
    )
    before = {model: model.objects.count() for model in models}
    states = dict(
        SupportRequest.objects.values("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )

    output = load()

    after = {model: model.objects.count() for model in models}
    assert after == before
    assert "Pro bono requests: 0 to create" in output
    assert (
        dict(
            SupportRequest.objects.values("state")
            .annotate(count=Count("pk"))
            .values_list("state", "count")
        )
        == states
    )
