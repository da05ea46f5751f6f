import pytest

from probono.models import Skill, WorkerSkill
from probono.services import matching
from probono.services.matching import WEIGHTS, RequestFacts
from tests.factories import (
    ProbonoWorkerFactory,
    SupportRequestFactory,
    activity_field,
)
from tests.probono.factories_proposals import InterestFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def parts_by_key(score):
    return {part.key: part for part in score.parts}


@pytest.fixture
def support_request(group):
    group.activity_fields.set([activity_field(7), activity_field(1)])
    return SupportRequestFactory(
        group=group, state="searching", skill_keys=["it_web", "accounting"]
    )


def test_weights_add_up_to_100():
    assert WEIGHTS.total == 100


def test_skills_weighted_by_level_and_years(support_request):
    expert = ProbonoWorkerFactory(skill_keys=["it_web", "accounting"])
    expert.worker_skills.update(level=3, years=10)
    novice = ProbonoWorkerFactory(skill_keys=["it_web"])
    novice.worker_skills.update(level=1, years=0)

    expert_part = parts_by_key(matching.score_worker(support_request, expert))
    novice_part = parts_by_key(matching.score_worker(support_request, novice))

    assert expert_part["skills"].points == WEIGHTS.skills
    # Half the skills, level 1 (0.5), no experience (0.7): 40 × 0.5 × 0.35.
    assert novice_part["skills"].points == 7
    assert novice_part["skills"].reason == (
        "Has 1 of 2 skills needed: IT and web (Basic, 0 years)."
    )


def test_skills_none_covered(support_request):
    worker = ProbonoWorkerFactory(skill_keys=["sales"])

    part = parts_by_key(matching.score_worker(support_request, worker))["skills"]

    assert part.points == 0
    assert part.reason == "Has none of the 2 skills needed."


@pytest.mark.parametrize(
    ("hours", "weekdays", "evenings", "weekends", "points"),
    [
        (0, False, False, False, 0),
        (20, False, False, False, 10),
        (40, True, True, True, 15),
        (10, False, True, False, 7),
    ],
)
def test_availability_points(
    support_request, hours, weekdays, evenings, weekends, points
):
    worker = ProbonoWorkerFactory(
        hours_per_month=hours,
        available_weekdays=weekdays,
        available_evenings=evenings,
        available_weekends=weekends,
    )

    part = parts_by_key(matching.score_worker(support_request, worker))

    assert part["availability"].points == points


@pytest.mark.parametrize(
    ("request_mode", "worker_mode", "in_prefecture", "points"),
    [
        ("either", "remote", False, 15),
        ("remote", "remote", False, 15),
        ("remote", "either", True, 15),
        ("remote", "on_site", True, 0),
        ("on_site", "on_site", True, 15),
        ("on_site", "either", True, 15),
        ("on_site", "either", False, 8),
        ("on_site", "remote", True, 0),
    ],
)
def test_work_mode_fit(group, request_mode, worker_mode, in_prefecture, points):
    support_request = SupportRequestFactory(group=group, work_mode=request_mode)
    worker = ProbonoWorkerFactory(
        work_mode=worker_mode,
        lives_in_prefecture=in_prefecture,
        municipality=None if not in_prefecture else ProbonoWorkerFactory().municipality,
        home_region="" if in_prefecture else "東京都",
    )

    part = parts_by_key(matching.score_worker(support_request, worker))

    assert part["work_mode"].points == points


def test_fields_of_interest(support_request):
    one = ProbonoWorkerFactory()
    one.activity_fields.set([activity_field(7)])
    both = ProbonoWorkerFactory()
    both.activity_fields.set([activity_field(7), activity_field(1), activity_field(3)])
    none = ProbonoWorkerFactory()

    assert parts_by_key(matching.score_worker(support_request, one))[
        "fields"
    ].points == round(WEIGHTS.fields / 2)
    assert (
        parts_by_key(matching.score_worker(support_request, both))["fields"].points
        == WEIGHTS.fields
    )
    assert (
        parts_by_key(matching.score_worker(support_request, none))["fields"].reason
        == "Shares none of the group's activity fields."
    )


def test_fields_when_group_lists_none(group):
    support_request = SupportRequestFactory(group=group)
    worker = ProbonoWorkerFactory()

    part = parts_by_key(matching.score_worker(support_request, worker))["fields"]

    assert part.points == 0
    assert part.reason == "The group lists no activity fields."


def test_load_part(support_request):
    worker = ProbonoWorkerFactory(max_projects=2)
    ProposalFactory(worker=worker, status="accepted")

    part = parts_by_key(matching.score_worker(support_request, worker))["load"]

    assert part.points == 8
    assert part.reason == "1 of 2 projects at a time taken."


def test_score_is_sum_of_parts(support_request):
    worker = ProbonoWorkerFactory()

    score = matching.score_worker(support_request, worker)

    assert score.total == sum(part.points for part in score.parts)
    assert 0 <= score.total <= 100
    assert [part.key for part in score.parts] == list(matching.PART_LABELS)


def test_parts_round_trip_through_json(support_request):
    score = matching.score_worker(support_request, ProbonoWorkerFactory())

    assert matching.parts_from_json(score.as_json()) == list(score.parts)


def test_ranking_best_first(support_request):
    strong = ProbonoWorkerFactory(skill_keys=["it_web", "accounting"])
    strong.worker_skills.update(level=3, years=10)
    weak = ProbonoWorkerFactory(skill_keys=["sales"])

    ranked = matching.rank_candidates(support_request)

    assert [c.worker for c in ranked] == [strong, weak]
    assert ranked[0].score.total > ranked[1].score.total


def test_interested_first_among_equals(support_request):
    first = ProbonoWorkerFactory()
    second = ProbonoWorkerFactory()
    InterestFactory(request=support_request, worker=second, note="Evenings suit me")

    ranked = matching.rank_candidates(support_request)

    assert ranked[0].score.total == ranked[1].score.total
    assert [c.worker for c in ranked] == [second, first]
    assert ranked[0].interested
    assert ranked[0].interest_note == "Evenings suit me"
    assert not ranked[1].interested


def test_ranking_leaves_out_unavailable(support_request):
    available = ProbonoWorkerFactory()
    ProbonoWorkerFactory(status="paused")
    ProbonoWorkerFactory(status="deleted", user=None)
    full = ProbonoWorkerFactory(max_projects=1)
    ProposalFactory(worker=full, status="accepted")
    already = ProbonoWorkerFactory(max_projects=3)
    ProposalFactory(worker=already, request=support_request)
    freed = ProbonoWorkerFactory(max_projects=1)
    ProposalFactory(worker=freed, status="accepted", request__state="delivered")

    ranked = matching.rank_candidates(support_request)

    assert {c.worker for c in ranked} == {available, freed}


def test_ranking_queries_bounded(support_request, django_assert_max_num_queries):
    for n in range(12):
        worker = ProbonoWorkerFactory(
            skill_keys=["it_web", "accounting"], max_projects=2
        )
        worker.activity_fields.set([activity_field(7)])
        if n % 3 == 0:
            InterestFactory(request=support_request, worker=worker)
        if n % 4 == 0:
            ProposalFactory(worker=worker, status="accepted")

    with django_assert_max_num_queries(7):
        ranked = matching.rank_candidates(support_request)

    assert len(ranked) == 12


def test_request_facts(support_request):
    facts = RequestFacts.of(support_request)

    assert {skill.key for skill in facts.skills} == {"it_web", "accounting"}
    assert facts.group_field_ids == {activity_field(7).pk, activity_field(1).pk}


def test_unknown_level_gives_no_credit(support_request):
    worker = ProbonoWorkerFactory()
    row = WorkerSkill(worker=worker, skill=Skill.objects.get(key="it_web"), level=9)

    assert matching._skill_credit(row) == 0.0
