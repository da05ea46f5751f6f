"""The white paper's figures: era labels, tables against the services, queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from civic_portal.fiscal import fiscal_year_end, fiscal_year_label
from facilitation.models import CaseStage, CaseStageChange, RecognitionKind
from facilitation.services import cases as case_services
from indicators.services import white_paper
from indicators.services.compute import count_volunteer_matches
from indicators.services.snapshots import freeze_year, store_snapshots
from indicators.services.summary import year_summary
from probono.models import RequestEvent, RequestState
from probono.services.statistics import (
    case_studies_published,
    requests_by_state,
)
from tests.facilitation.factories import (
    RecognitionFactory,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import (
    EventFactory,
    GrantNoticeFactory,
    SupportRequestFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from tests.indicators.helpers import bulk_groups, confirm_match, japan_time
from volunteering.models import Application

pytestmark = pytest.mark.django_db

YEAR = 2024
YAMAGUCHI = "35203"
SHIMONOSEKI = "35201"


def _post(code: str, field: int, published_at: dt.datetime):
    return VolunteerPostFactory(
        municipality=municipality(code),
        activity_field=activity_field(field),
        published_at=published_at,
    )


def _applied(application: Application, at: dt.datetime) -> Application:
    Application.objects.filter(pk=application.pk).update(created_at=at)
    return application


def make_volunteering() -> None:
    """Two posts of fiscal 2024 in two municipalities, and one of fiscal 2023.

    Fiscal 2024 has 3 applications in Yamaguchi (one cancelled in the
    year, so 2 matches) and 1 team of 3 people in Shimonoseki.
    """
    yamaguchi = _post(YAMAGUCHI, 7, japan_time(2024, 5, 1))
    shimonoseki = _post(SHIMONOSEKI, 3, japan_time(2024, 6, 1))
    older = _post(YAMAGUCHI, 7, japan_time(2023, 5, 1))
    session = VolunteerSessionFactory(post=yamaguchi, capacity=50)
    for day in (10, 11):
        _applied(
            confirm_match(japan_time(2024, 5, day), session=session),
            japan_time(2024, 5, day - 1),
        )
    _applied(
        confirm_match(
            japan_time(2024, 5, 12),
            session=session,
            status=Application.Status.CANCELLED_BY_VOLUNTEER,
            cancelled_at=japan_time(2024, 5, 20),
        ),
        japan_time(2024, 5, 11),
    )
    _applied(
        confirm_match(
            japan_time(2024, 6, 10),
            party_size=3,
            session=VolunteerSessionFactory(post=shimonoseki, capacity=50),
        ),
        japan_time(2024, 6, 9),
    )
    _applied(
        confirm_match(
            japan_time(2023, 6, 10),
            session=VolunteerSessionFactory(post=older, capacity=50),
        ),
        japan_time(2023, 6, 9),
    )


def make_other_parts(facilitator_email: str = "wp@example.jp") -> None:
    """Events, grant notices, a pro bono request, a case and recognitions of 2024."""
    EventFactory(starts_at=japan_time(2024, 8, 1), municipality=municipality(YAMAGUCHI))
    EventFactory(
        starts_at=japan_time(2024, 9, 1), municipality=municipality(SHIMONOSEKI)
    )
    EventFactory(starts_at=japan_time(2024, 9, 2), status="draft")
    EventFactory(starts_at=japan_time(2025, 4, 1))
    GrantNoticeFactory(deadline=japan_time(2024, 10, 1), max_amount=500_000)
    GrantNoticeFactory(deadline=japan_time(2024, 11, 1))
    GrantNoticeFactory(deadline=japan_time(2024, 11, 2), is_published=False)

    support_request = SupportRequestFactory()
    for state in (RequestState.RECEIVED, RequestState.HEARING):
        event = RequestEvent.objects.create(
            request=support_request, from_state="", to_state=state
        )
        RequestEvent.objects.filter(pk=event.pk).update(
            created_at=japan_time(2024, 7, 1 if state == RequestState.RECEIVED else 2)
        )

    facilitator = regional_facilitator(facilitator_email, centre=municipal_centre(0))
    case = case_services.open_case(
        user=facilitator.user,
        centre=municipal_centre(0),
        title="子ども食堂と地元企業の協働",
        shared_goal="地域の子どもに温かい食事を届ける",
    )
    type(case).objects.filter(pk=case.pk).update(created_at=japan_time(2024, 7, 1))
    CaseStageChange.objects.filter(case=case).update(created_at=japan_time(2024, 7, 1))

    RecognitionFactory(fiscal_year=YEAR, designated_on=dt.date(2024, 11, 3))
    RecognitionFactory(
        fiscal_year=YEAR,
        kind=RecognitionKind.MODEL_BUSINESS_SITE,
        designated_on=dt.date(2024, 12, 1),
    )
    RecognitionFactory(fiscal_year=YEAR - 1, designated_on=dt.date(2023, 11, 3))


def table(paper, key):
    return next(table for table in paper.tables if table.key == key)


def row_of(found_table, label):
    return next(row for row in found_table.rows if row[0] == label)


def test_era_label_of_reiwa_first_year():
    with translation.override("ja"):
        assert fiscal_year_label(2019) == "2019（令和元）年度"
        assert white_paper.gather(2019).label == "2019（令和元）年度"


def test_era_label_of_heisei_30():
    with translation.override("ja"):
        assert fiscal_year_label(2018) == "2018（平成30）年度"
        assert white_paper.gather(2018).label == "2018（平成30）年度"


def test_indicator_table_matches_summary():
    bulk_groups(7, dt.date(2020, 4, 1))
    make_volunteering()

    paper = white_paper.gather(YEAR)
    summary = {row.indicator.key: row for row in year_summary(YEAR)}

    assert len(paper.indicator_table.rows) == 6
    for row, indicator_row in zip(
        paper.indicator_table.rows, paper.indicators, strict=True
    ):
        expected = summary[indicator_row.indicator.key]
        assert row[0] == expected.indicator.name
        assert row[3] == expected.indicator.baseline_value
        assert row[5] == expected.indicator.target_value
        assert row[7] == expected.computed_value
        assert row[10] == expected.progress.percent
    groups_row = paper.indicator_table.rows[0]
    assert groups_row[7] == Decimal(7)
    assert groups_row[8] == "Computed value"


def test_indicator_table_labels_frozen_values():
    bulk_groups(4, dt.date(2020, 4, 1))
    store_snapshots(YEAR)
    freeze_year(YEAR, UserFactory())
    bulk_groups(3, dt.date(2020, 4, 1))

    paper = white_paper.gather(YEAR)
    groups_row = paper.indicator_table.rows[0]

    assert paper.is_frozen
    assert groups_row[7] == Decimal(4)
    assert groups_row[8] == "Frozen value"


def test_indicator_table_labels_recorded_values():
    paper = white_paper.gather(2019)
    matches_row = next(
        row
        for row, indicator_row in zip(
            paper.indicator_table.rows, paper.indicators, strict=True
        )
        if indicator_row.indicator.key == "volunteer_matches"
    )

    assert matches_row[8] == "Recorded value"
    assert matches_row[7] is not None


def test_volunteering_tables_match_indicator():
    make_volunteering()

    paper = white_paper.gather(YEAR)
    by_municipality = table(paper, "volunteering_by_municipality")
    by_field = table(paper, "volunteering_by_field")
    yamaguchi = municipality(YAMAGUCHI).localized_name
    shimonoseki = municipality(SHIMONOSEKI).localized_name

    assert row_of(by_municipality, yamaguchi)[1:] == [1, 3, 2]
    assert row_of(by_municipality, shimonoseki)[1:] == [1, 1, 3]
    assert row_of(by_municipality, "Total")[1:] == [2, 4, 5]
    assert row_of(by_field, activity_field(7).localized_name)[1:] == [1, 3, 2]
    assert row_of(by_field, "Total")[1:] == [2, 4, 5]
    assert row_of(by_municipality, "Total")[3] == count_volunteer_matches(YEAR)


def test_other_tables_match_services():
    make_other_parts()
    start, end = japan_time(2024, 4, 1, 0), japan_time(2025, 4, 1, 0)

    paper = white_paper.gather(YEAR)

    events = table(paper, "events_by_municipality")
    assert row_of(events, "Total")[1] == 2
    grants = table(paper, "grant_notices")
    assert [row[1] for row in grants.rows] == [2, 1, 500_000]
    states = table(paper, "probono_requests_by_state")
    expected_states = requests_by_state(fiscal_year_end(YEAR))
    assert [row[1] for row in states.rows[:-1]] == list(expected_states.values())
    assert row_of(states, str(RequestState.HEARING.label))[1] == 1
    case_studies = table(paper, "probono_case_studies")
    assert [row[1] for row in case_studies.rows] == list(
        case_studies_published(start, end)
    )
    cases = table(paper, "collaboration_cases")
    assert cases.rows[0][1] == 1
    consultation = [
        row for row in cases.rows if str(CaseStage.CONSULTATION.label) in row[0]
    ]
    assert consultation[0][1] == 1
    recognitions = table(paper, "recognitions")
    assert [row[1] for row in recognitions.rows] == [1, 1]


def test_sections_follow_pillars():
    paper = white_paper.gather(YEAR)

    assert [section.pillar for section in paper.sections] == [1, 2, 3]
    keys = {
        section.pillar: [row.indicator.key for row in section.indicators]
        for section in paper.sections
    }
    assert keys[1] == ["civic_groups", "young_majority_share"]
    assert keys[3] == ["volunteer_matches"]
    assert table(paper, "events_by_municipality") in paper.sections[0].tables


def test_gather_queries_bounded(django_assert_max_num_queries):
    make_volunteering()
    make_other_parts()
    with django_assert_max_num_queries(40) as small:
        white_paper.gather(YEAR)
    make_volunteering()
    make_other_parts("second@example.jp")
    with django_assert_max_num_queries(len(small.captured_queries)):
        white_paper.gather(YEAR)
