import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups.models import CivicGroup
from probono.models import RequestEvent, RequestState, Skill, SupportRequest
from probono.permissions import CONCIERGE_GROUP
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    SupportRequestFactory,
    UserFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

S = RequestState


@pytest.fixture
def concierge(db):
    user = UserFactory(email="concierge@example.jp", preferred_language="en")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


@pytest.fixture
def support_request(group):
    return SupportRequestFactory(group=group)


def filing_data(group, **changes):
    data = {
        "group": group.pk,
        "title": "New website",
        "challenge": "website",
        "description": "Our site is old.",
        "outcome": "A site that works on phones.",
        "skills": [Skill.objects.get(key="it_web").pk],
        "period_start": "2026-01-10",
        "period_end": "2026-03-31",
        "work_mode": "remote",
        "contact_name": "Hanako Yamaguchi",
        "contact_email": "ＨＡＮＡＫＯ@Example.JP",
        "contact_phone": "",
    }
    data.update(changes)
    return data


def test_staff_files_request(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(reverse("probono:request_new"), filing_data(group))

    support_request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("probono:request_detail", args=[support_request.pk])
    assert support_request.state == S.RECEIVED
    assert support_request.contact_email == "hanako@example.jp"
    assert support_request.created_by == group_staff
    assert list(support_request.skills.values_list("key", flat=True)) == ["it_web"]
    event = RequestEvent.objects.get()
    assert event.from_state == ""
    assert event.to_state == S.RECEIVED
    assert event.actor == group_staff


def test_filing_needs_a_skill(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(
        reverse("probono:request_new"), filing_data(group, skills=[])
    )

    assert response.status_code == 200
    assert "skills" in response.context["form"].errors
    assert not SupportRequest.objects.exists()


def test_filing_period_in_order(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(
        reverse("probono:request_new"), filing_data(group, period_end="2026-01-09")
    )

    assert response.context["form"].errors["period_end"] == [
        "The period cannot end before it starts."
    ]
    assert not SupportRequest.objects.exists()


def test_filing_for_other_group_rejected(client, group, other_group_staff):
    client.force_login(other_group_staff)

    response = client.post(reverse("probono:request_new"), filing_data(group))

    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not SupportRequest.objects.exists()


def test_filing_page_forbidden_without_group(client, resident):
    client.force_login(resident)

    assert client.get(reverse("probono:request_new")).status_code == 403


def test_filing_forbidden_for_pending_group(client):
    pending = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    staff = GroupMembershipFactory(group=pending).user
    client.force_login(staff)

    assert client.get(reverse("probono:request_new")).status_code == 403


def test_filing_needs_login(client):
    response = client.get(reverse("probono:request_new"))

    assert response.status_code == 302
    assert "/accounts/" in response.url


def test_list_shows_own_groups_only(client, support_request, group_staff):
    other = SupportRequestFactory(title="Other group's request")
    client.force_login(group_staff)

    response = client.get(reverse("probono:request_list"))

    assert list(response.context["page"].object_list) == [support_request]
    assert other.title not in response.content.decode()


def test_concierge_lists_all(client, support_request, concierge):
    other = SupportRequestFactory()
    client.force_login(concierge)

    response = client.get(reverse("probono:request_list"))

    assert set(response.context["page"].object_list) == {support_request, other}


def test_detail_hidden_from_outsider(client, support_request, other_group_staff):
    client.force_login(other_group_staff)
    url = reverse("probono:request_detail", args=[support_request.pk])

    assert client.get(url).status_code == 404


def test_detail_shows_history_to_staff(client, support_request, group_staff):
    RequestEvent.objects.create(
        request=support_request, from_state="", to_state=S.RECEIVED, actor=group_staff
    )
    client.force_login(group_staff)

    response = client.get(reverse("probono:request_detail", args=[support_request.pk]))

    assert len(response.context["events"]) == 1
    assert response.context["targets"] == [(S.CANCELLED, S.CANCELLED.label)]
    assert response.context["hearing_form"] is None


def test_concierge_sees_allowed_buttons(client, support_request, concierge):
    client.force_login(concierge)

    response = client.get(reverse("probono:request_detail", args=[support_request.pk]))

    assert [state for state, _label in response.context["targets"]] == [
        S.HEARING,
        S.ON_HOLD,
        S.CANCELLED,
    ]
    assert "Move to “Hearing”" in response.content.decode()


def test_concierge_takes_request(
    client, support_request, concierge, group_staff, django_capture_on_commit_callbacks
):
    group_staff.preferred_language = "en"
    group_staff.save()
    client.force_login(concierge)
    url = reverse("probono:request_transition", args=[support_request.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to_state": S.HEARING, "note": "Call on Monday"})

    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.state == S.HEARING
    assert support_request.concierge == concierge
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([group_staff.email, support_request.contact_email])
    staff_mail = next(m for m in mail.outbox if m.to == [group_staff.email])
    assert 'moved from "Received" to "Hearing"' in staff_mail.body
    assert "Call on Monday" in staff_mail.body


def test_state_mail_sent_once(support_request, concierge, group_staff):
    from probono.services import workflow
    from probono.tasks import send_request_state_changed

    event = workflow.transition(
        support_request, S.HEARING, concierge, on_commit=lambda event: None
    )

    assert send_request_state_changed(event.pk) == 2
    assert send_request_state_changed(event.pk) == 0
    assert len(mail.outbox) == 2


def test_state_mail_in_recipient_language(support_request, concierge, group_staff):
    from probono.services import workflow
    from probono.tasks import send_request_state_changed

    event = workflow.transition(
        support_request, S.HEARING, concierge, on_commit=lambda event: None
    )
    send_request_state_changed(event.pk)

    staff_mail = next(m for m in mail.outbox if m.to == [group_staff.email])
    assert "ヒアリング" in staff_mail.subject


def test_group_staff_refused_forward_step(client, support_request, group_staff):
    client.force_login(group_staff)
    url = reverse("probono:request_transition", args=[support_request.pk])

    response = client.post(url, {"to_state": S.HEARING}, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["You may not move this request from “Received” to “Hearing”."]
    support_request.refresh_from_db()
    assert support_request.state == S.RECEIVED


def test_staff_cancel_needs_reason(client, support_request, group_staff):
    client.force_login(group_staff)
    url = reverse("probono:request_transition", args=[support_request.pk])

    response = client.post(url, {"to_state": S.CANCELLED, "note": ""}, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Give a reason for cancelling the request."]
    support_request.refresh_from_db()
    assert support_request.state == S.RECEIVED


def test_transition_hidden_from_outsider(client, support_request, other_group_staff):
    client.force_login(other_group_staff)
    url = reverse("probono:request_transition", args=[support_request.pk])

    assert client.post(url, {"to_state": S.CANCELLED, "note": "x"}).status_code == 404


def test_hearing_notes_saved(client, support_request, concierge):
    support_request.state = S.HEARING
    support_request.save()
    client.force_login(concierge)
    url = reverse("probono:request_hearing", args=[support_request.pk])

    client.post(url, {"hearing_notes": "They need a booking form."})

    support_request.refresh_from_db()
    assert support_request.hearing_notes == "They need a booking form."


def test_hearing_notes_forbidden_for_staff(client, support_request, group_staff):
    support_request.state = S.HEARING
    support_request.save()
    client.force_login(group_staff)
    url = reverse("probono:request_hearing", args=[support_request.pk])

    assert client.post(url, {"hearing_notes": "x"}).status_code == 403


def test_board_forbidden_for_staff(client, group_staff):
    client.force_login(group_staff)

    assert client.get(reverse("probono:board")).status_code == 403


def test_board_groups_by_state(client, concierge, support_request):
    SupportRequestFactory(state=S.SEARCHING, concierge=concierge)
    client.force_login(concierge)

    response = client.get(reverse("probono:board"))

    counts = {c["state"]: c["count"] for c in response.context["columns"]}
    assert counts[S.RECEIVED] == 1
    assert counts[S.SEARCHING] == 1
    assert counts[S.CLOSED] == 0
    received = response.context["columns"][0]["rows"][0]
    assert received.waits_on == ["concierge"]


def test_board_links_statistics_and_workers(client, concierge):
    client.force_login(concierge)

    page = client.get(reverse("probono:board")).content.decode()

    assert f'href="{reverse("probono:statistics")}"' in page
    assert f'href="{reverse("probono:worker_list")}"' in page


def test_board_filters(client, concierge, support_request):
    taken = SupportRequestFactory(
        concierge=concierge,
        group=CivicGroupFactory(municipality=municipality("35201")),
        skill_keys=["accounting"],
    )
    client.force_login(concierge)
    url = reverse("probono:board")

    def listed(**params):
        response = client.get(url, params)
        return {row for c in response.context["columns"] for row in c["rows"]}

    assert listed(concierge=concierge.pk) == {taken}
    assert listed(concierge="none") == {support_request}
    assert listed(municipality="35201") == {taken}
    skill = Skill.objects.get(key="accounting")
    assert listed(skill=skill.pk) == {taken}


def test_board_overdue_filter(client, concierge, support_request):
    late = SupportRequestFactory()
    SupportRequest.objects.filter(pk=late.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=4)
    )
    client.force_login(concierge)

    response = client.get(reverse("probono:board"), {"overdue": "1"})

    rows = [row for c in response.context["columns"] for row in c["rows"]]
    assert rows == [late]
    assert rows[0].overdue


def test_board_queries_bounded(client, concierge, django_assert_max_num_queries):
    for state in (S.RECEIVED, S.SEARCHING, S.KICKOFF):
        for _ in range(3):
            SupportRequestFactory(state=state, concierge=concierge)
    client.force_login(concierge)

    with django_assert_max_num_queries(15):
        client.get(reverse("probono:board"))


def test_overdue_reminder_sent_once(support_request, concierge):
    from probono.tasks import send_overdue_reminders

    support_request.concierge = concierge
    support_request.save()
    SupportRequest.objects.filter(pk=support_request.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=4)
    )

    assert send_overdue_reminders() == 1
    assert send_overdue_reminders() == 0
    assert mail.outbox[0].to == [concierge.email]
    assert "Waiting too long" in mail.outbox[0].subject


def test_no_reminder_within_limit(support_request, concierge):
    from probono.tasks import send_overdue_reminders

    assert send_overdue_reminders() == 0


def test_manage_page_links_requests(client, group, group_staff):
    client.force_login(group_staff)

    content = client.get(reverse("groups:manage", args=[group.pk])).content.decode()

    assert reverse("probono:request_new") + f"?group={group.pk}" in content
