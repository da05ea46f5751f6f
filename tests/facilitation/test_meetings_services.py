"""Meeting series, agenda drafting, action items and the iCalendar export."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from civic_portal.fiscal import JAPAN
from facilitation.models import (
    CaseNote,
    CaseStage,
    CaseStageChange,
    Meeting,
    MeetingSeries,
)
from facilitation.services import cases as case_services
from facilitation.services import meetings as meeting_services
from tests.facilitation.factories import (
    chief_facilitator,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TUESDAY = 1


@pytest.fixture
def chief():
    return chief_facilitator()


@pytest.fixture
def regional():
    return regional_facilitator("regional@example.jp", centre=municipal_centre(0))


def plan(**changes):
    values = {
        "title": "情報共有会議",
        "location": "山口県県民活動支援センター 研修室",
        "frequency": MeetingSeries.Frequency.MONTHLY,
        "weekday": TUESDAY,
        "week_of_month": 2,
        "start_time": dt.time(14, 0),
        "end_time": dt.time(15, 30),
        "starts_on": dt.date(2027, 4, 1),
        "ends_on": dt.date(2027, 9, 30),
    }
    values.update(changes)
    return meeting_services.SeriesPlan(**values)


def meeting_at(chief, starts_at, **fields):
    return meeting_services.create_meeting(
        chief.user,
        title=fields.get("title", "情報共有会議"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location=fields.get("location", "研修室"),
        attendees=fields.get("attendees", []),
    )


def test_monthly_series_on_second_tuesday(chief, regional):
    series = meeting_services.schedule_series(chief.user, plan(), [regional])

    meetings = list(series.meetings.order_by("starts_at"))
    starts = [m.starts_at.astimezone(JAPAN) for m in meetings]
    assert [s.date() for s in starts] == [
        dt.date(2027, 4, 13),
        dt.date(2027, 5, 11),
        dt.date(2027, 6, 8),
        dt.date(2027, 7, 13),
        dt.date(2027, 8, 10),
        dt.date(2027, 9, 14),
    ]
    assert {s.time() for s in starts} == {dt.time(14, 0)}
    for meeting in meetings:
        assert list(meeting.attendees.all()) == [regional]
        assert meeting.agenda == ""


def test_weekly_series(chief):
    series = meeting_services.schedule_series(
        chief.user,
        plan(
            frequency=MeetingSeries.Frequency.WEEKLY,
            week_of_month=None,
            ends_on=dt.date(2027, 4, 30),
        ),
        [],
    )

    days = [m.starts_at.astimezone(JAPAN).date() for m in series.meetings.all()]
    assert days == [
        dt.date(2027, 4, 6),
        dt.date(2027, 4, 13),
        dt.date(2027, 4, 20),
        dt.date(2027, 4, 27),
    ]
    assert series.week_of_month is None


def test_series_only_by_chief(regional):
    with pytest.raises(ValidationError) as raised:
        meeting_services.schedule_series(regional.user, plan(), [])

    assert raised.value.code == "not_chief_facilitator"
    assert not Meeting.objects.exists()


def test_series_field_errors(chief):
    with pytest.raises(ValidationError) as raised:
        meeting_services.schedule_series(
            chief.user,
            plan(end_time=dt.time(13, 0), week_of_month=None),
            [],
        )

    assert set(raised.value.message_dict) == {"end_time", "week_of_month"}


def test_series_end_before_start(chief):
    with pytest.raises(ValidationError) as raised:
        meeting_services.schedule_series(
            chief.user, plan(ends_on=dt.date(2027, 3, 1)), []
        )

    assert list(raised.value.message_dict) == ["ends_on"]


def test_single_meeting_gets_agenda(chief, regional):
    case = case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="海岸清掃の協働",
        shared_goal="g",
    )

    meeting = meeting_at(chief, timezone.now() + dt.timedelta(days=3))

    assert meeting.agenda_drafted_at is not None
    assert f"- {case.title} (Consultation, {case.centre})" in meeting.agenda


def test_agenda_lists_changes_since_previous_meeting(chief, regional):
    now = timezone.now()
    previous = meeting_at(chief, now - dt.timedelta(days=20))
    case = case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="海岸清掃の協働",
        shared_goal="g",
    )
    case_services.transition(case, CaseStage.MATCHING, regional.user)
    case_services.add_note(
        case, regional.user, held_on=timezone.localdate(), body="企業と面談"
    )
    old_case = case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="古い案件",
        shared_goal="g",
    )
    old_change = case_services.transition(old_case, CaseStage.MATCHING, regional.user)
    CaseStageChange.objects.filter(pk=old_change.pk).update(
        created_at=now - dt.timedelta(days=30)
    )
    closed = case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="終わった案件",
        shared_goal="g",
    )
    case_services.transition(closed, CaseStage.DISCONTINUED, regional.user, "中止")
    meeting = meeting_at(chief, now + dt.timedelta(days=7))

    agenda = meeting_services.draft_agenda(meeting)

    assert meeting_services.previous_meeting(meeting) == previous
    assert "- 海岸清掃の協働: Consultation → Matching" in agenda
    assert "- 海岸清掃の協働: new meeting note of" in agenda
    assert "- 古い案件: Consultation → Matching" not in agenda
    assert "- 古い案件 (Matching" in agenda
    assert "- 終わった案件 (" not in agenda
    assert "- 終わった案件: Consultation → Discontinued" in agenda


def test_agenda_lists_open_action_items(chief, regional):
    now = timezone.now()
    earlier = meeting_at(chief, now - dt.timedelta(days=10), attendees=[regional])
    meeting_services.add_action_item(
        earlier,
        chief.user,
        title="協賛企業に連絡",
        owner=regional.user,
        due_on=dt.date(2027, 1, 20),
    )
    done = meeting_services.add_action_item(
        earlier,
        chief.user,
        title="済んだ作業",
        owner=regional.user,
        due_on=dt.date(2027, 1, 20),
    )
    meeting_services.set_item_done(done, regional.user, True)
    meeting = meeting_at(chief, now + dt.timedelta(days=1))

    agenda = meeting.agenda

    assert "協賛企業に連絡" in agenda
    assert "済んだ作業" not in agenda


def test_agenda_without_anything(chief):
    meeting = meeting_at(chief, timezone.now() + dt.timedelta(days=1))

    assert meeting.agenda.count("- None") == 3


def test_series_previous_meeting_stays_in_series(chief):
    series = meeting_services.schedule_series(chief.user, plan(), [])
    meetings = list(series.meetings.order_by("starts_at"))
    meeting_at(chief, meetings[1].starts_at - dt.timedelta(days=1))

    assert meeting_services.previous_meeting(meetings[1]) == meetings[0]
    assert meeting_services.previous_meeting(meetings[0]) is None


def test_owner_must_attend(chief, regional):
    meeting = meeting_at(chief, timezone.now() + dt.timedelta(days=1))
    outsider = regional_facilitator("outsider@example.jp", centre=municipal_centre(1))

    with pytest.raises(ValidationError) as raised:
        meeting_services.add_action_item(
            meeting,
            chief.user,
            title="t",
            owner=outsider.user,
            due_on=dt.date(2027, 1, 1),
        )

    assert list(raised.value.message_dict) == ["owner"]
    assert not meeting.action_items.exists()


def test_chief_and_attendees_can_own(chief, regional):
    meeting = meeting_at(
        chief, timezone.now() + dt.timedelta(days=1), attendees=[regional]
    )

    owners = set(meeting_services.owner_choices(meeting))

    assert owners == {chief.user, regional.user}


def test_only_owner_or_chief_marks_done(chief, regional):
    meeting = meeting_at(
        chief, timezone.now() + dt.timedelta(days=1), attendees=[regional]
    )
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=chief.user, due_on=dt.date(2027, 1, 1)
    )

    with pytest.raises(ValidationError):
        meeting_services.set_item_done(item, regional.user, True)
    meeting_services.set_item_done(item, chief.user, True)

    item.refresh_from_db()
    assert item.done
    assert item.done_at is not None


def test_meeting_visibility(chief, regional):
    attended = meeting_at(
        chief, timezone.now() + dt.timedelta(days=1), attendees=[regional]
    )
    other = meeting_at(chief, timezone.now() + dt.timedelta(days=2))
    stranger = UserFactory()

    assert set(meeting_services.visible_meetings(chief.user)) == {attended, other}
    assert list(meeting_services.visible_meetings(regional.user)) == [attended]
    assert not meeting_services.visible_meetings(stranger).exists()


def test_update_raises_sequence_on_time_change(chief):
    meeting = meeting_at(chief, timezone.now() + dt.timedelta(days=1))
    fields = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "agenda": "議題",
        "minutes": "議事録",
        "attendees": [],
    }

    meeting_services.update_meeting(meeting, chief.user, **fields)
    assert meeting.sequence == 0
    fields["starts_at"] -= dt.timedelta(hours=1)
    meeting_services.update_meeting(meeting, chief.user, **fields)

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.minutes == "議事録"


def test_reschedule_clears_reminder(chief):
    meeting = meeting_at(chief, timezone.now() - dt.timedelta(days=10))
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=chief.user, due_on=dt.date(2026, 1, 1)
    )
    item.reminder_sent_at = timezone.now()
    item.save()

    meeting_services.reschedule_item(item, chief.user, dt.date(2026, 2, 1))

    item.refresh_from_db()
    assert item.reminder_sent_at is None
    assert item.due_on == dt.date(2026, 2, 1)


def unfold(text: str) -> str:
    """Undo RFC 5545 line folding: CRLF followed by one space or tab."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def test_calendar_round_trip(chief, settings):
    settings.SITE_URL = "https://portal.example.jp"
    starts_at = dt.datetime(2027, 5, 11, 14, 0, tzinfo=JAPAN)
    title = "情報共有会議（第2回）; 議題: 協働案件, 進捗\\共有 " * 3
    meeting = meeting_services.create_meeting(
        chief.user,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=90),
        location="山口市, 県民活動支援センター",
        attendees=[],
    )

    body = meeting_services.build_meetings_calendar([meeting], "会議")

    text = body.decode("utf-8")
    lines = text.split("\r\n")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines), "a long line is folded"
    unfolded = unfold(text)
    assert "DTSTART;TZID=Asia/Tokyo:20270511T140000" in unfolded
    assert "DTEND;TZID=Asia/Tokyo:20270511T153000" in unfolded
    assert "LOCATION:山口市\\, 県民活動支援センター" in unfolded
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo" in unfolded
    calendar = Calendar.from_ical(body)
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == f"facilitation-meeting-{meeting.pk}@portal.example.jp"
    assert str(event["summary"]) == title.strip()
    assert str(event["location"]) == "山口市, 県民活動支援センター"
    assert event.decoded("dtstart") == starts_at
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=9)
    assert "dtstamp" in event
    assert event["sequence"] == 0
    # The multi-line agenda is escaped as \n in the file and comes back whole.
    assert "\\n" in unfolded
    assert str(event["description"]) == meeting.agenda


def test_series_calendar_has_every_meeting(chief):
    series = meeting_services.schedule_series(chief.user, plan(), [])

    body = meeting_services.build_meetings_calendar(
        series.meetings.order_by("starts_at"), series.title
    )

    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 6
    assert len({str(e["uid"]) for e in events}) == 6
    assert len(Calendar.from_ical(body).walk("VTIMEZONE")) == 1


def test_changes_since_skips_opening_steps(regional):
    before = timezone.now() - dt.timedelta(seconds=1)
    case = case_services.open_case(
        user=regional.user, centre=municipal_centre(0), title="t", shared_goal="g"
    )
    CaseNote.objects.create(case=case, held_on=dt.date(2027, 1, 1), body="b")

    stage_changes, notes = meeting_services.changes_since(before, timezone.now())

    assert stage_changes == []
    assert len(notes) == 1


def test_first_far_meeting_lists_recent_changes(chief, regional):
    case = case_services.open_case(
        user=regional.user, centre=municipal_centre(0), title="t", shared_goal="g"
    )
    case_services.transition(case, CaseStage.MATCHING, regional.user)

    meeting = meeting_at(chief, timezone.now() + dt.timedelta(days=90))

    assert "- t: Consultation → Matching" in meeting.agenda


def test_series_date_limit(chief):
    weekly = {"frequency": MeetingSeries.Frequency.WEEKLY, "week_of_month": None}
    # The first Tuesday is 2027-04-06, so the 100th is 2029-02-27.
    exactly_max = plan(**weekly, ends_on=dt.date(2029, 3, 5))
    one_more = plan(**weekly, ends_on=dt.date(2029, 3, 6))

    assert len(meeting_services.series_meeting_dates(exactly_max)) == 100
    with pytest.raises(ValidationError) as raised:
        meeting_services.series_meeting_dates(one_more)
    assert raised.value.message_dict == {
        "ends_on": [
            "The series would have more than 100 meetings. Choose an earlier last date."
        ]
    }
