import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.models import (
    AnnualGroupReport,
    CivicGroup,
    SupportCentre,
    SupportCentreStaff,
)
from groups.services import reports as report_services
from probono.models import Skill
from tests.factories import CivicGroupFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "members_30s": "３",
        "members_60s": "1,200",
        "participants_20s": "２",
        "volunteers_taken_in": "",
        "main_activities": "子ども食堂の運営",
        "income_membership_fees": "１２０，０００",
        "digital_tools": ["website", "online_meetings"],
        "self_evaluation": "3",
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def staff_client(client, group_staff):
    client.force_login(group_staff)
    return client


def centre_staff_of(code, scope=SupportCentre.Scope.MUNICIPAL):
    centre = SupportCentre.objects.filter(municipality__code=code, scope=scope).first()
    user = UserFactory()
    SupportCentreStaff.objects.create(centre=centre, user=user)
    return user


def test_file_report_with_full_width_digits(staff_client, group):
    response = staff_client.post(
        reverse("groups:report_create", args=[group.pk]), form_data()
    )

    report = AnnualGroupReport.objects.get(group=group)
    assert response.status_code == 302
    assert response.url == reverse("groups:report_detail", args=[group.pk, report.pk])
    assert report.members_30s == 3
    assert report.members_60s == 1200
    assert report.income_membership_fees == 120_000
    assert report.volunteers_taken_in == 0
    assert report.digital_tools == ["website", "online_meetings"]


def test_file_report_rejects_negative_count(staff_client, group):
    response = staff_client.post(
        reverse("groups:report_create", args=[group.pk]),
        form_data(members_30s="-1", participants_20s="二"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "members_30s" in form.errors
    assert "participants_20s" in form.errors
    assert form["main_activities"].value() == "子ども食堂の運営"
    assert not AnnualGroupReport.objects.exists()


def test_file_report_shows_service_errors(staff_client, group):
    response = staff_client.post(
        reverse("groups:report_create", args=[group.pk]),
        form_data(wants_probono="on"),
    )

    assert response.status_code == 200
    assert "probono_skills" in response.context["form"].errors


def test_second_filing_gets_clear_message(staff_client, group):
    url = reverse("groups:report_create", args=[group.pk])
    staff_client.post(url, form_data())

    response = staff_client.post(url, form_data())

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("already filed" in error for error in errors)
    assert AnnualGroupReport.objects.filter(group=group).count() == 1


def test_new_report_page_redirects_once_filed(staff_client, group):
    url = reverse("groups:report_create", args=[group.pk])
    staff_client.post(url, form_data())

    response = staff_client.get(url)

    report = AnnualGroupReport.objects.get(group=group)
    assert response.url == reverse("groups:report_detail", args=[group.pk, report.pk])


def test_edit_report_sets_probono_wish(staff_client, group):
    staff_client.post(reverse("groups:report_create", args=[group.pk]), form_data())
    report = AnnualGroupReport.objects.get(group=group)
    skill = Skill.objects.first()

    response = staff_client.post(
        reverse("groups:report_detail", args=[group.pk, report.pk]),
        form_data(wants_probono="on", probono_skills=[skill.pk]),
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.wants_probono is True
    assert list(report.probono_skills.all()) == [skill]


def test_past_year_report_is_read_only(staff_client, group, group_staff):
    past_year = report_services.current_fiscal_year() - 1
    report = AnnualGroupReport.objects.create(
        group=group,
        fiscal_year=past_year,
        members_30s=4,
        main_activities="清掃活動",
        self_evaluation=3,
    )
    url = reverse("groups:report_detail", args=[group.pk, report.pk])

    page = staff_client.get(url)
    post = staff_client.post(url, form_data(members_30s="9"))

    assert "form" not in page.context
    assert "can no longer be changed" in page.content.decode()
    assert post.status_code == 200
    report.refresh_from_db()
    assert report.members_30s == 4


def test_other_group_staff_get_404(client, group, other_group_staff):
    report = AnnualGroupReport.objects.create(
        group=group, fiscal_year=2026, main_activities="x", self_evaluation=3
    )
    client.force_login(other_group_staff)

    urls = [
        reverse("groups:group_reports", args=[group.pk]),
        reverse("groups:report_create", args=[group.pk]),
        reverse("groups:report_detail", args=[group.pk, report.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[1], form_data()).status_code == 404


def test_anonymous_redirected_to_login(client, group):
    response = client.get(reverse("groups:report_create", args=[group.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_overview_forbidden_for_non_centre_staff(client, group_staff):
    client.force_login(group_staff)

    assert client.get(reverse("groups:report_overview")).status_code == 403
    assert client.post(reverse("groups:report_remind")).status_code == 403


def test_overview_lists_groups_of_centre(client, group, group_staff):
    # The municipal centre of Ube sees Ube's groups, not Yamaguchi's.
    ube_group = CivicGroupFactory(municipality=municipality("35202"))
    client.force_login(centre_staff_of("35202"))
    year = report_services.current_fiscal_year()

    response = client.get(reverse("groups:report_overview"), {"year": year})

    assert [g.pk for g in response.context["page"]] == [ube_group.pk]
    assert response.context["not_filed_count"] == 1


def test_overview_filters_by_filing(client, group, group_staff):
    missing = CivicGroupFactory()
    staff = centre_staff_of("35203", SupportCentre.Scope.PREFECTURE)
    staff_client = client
    staff_client.force_login(group_staff)
    staff_client.post(reverse("groups:report_create", args=[group.pk]), form_data())
    staff_client.force_login(staff)
    year = report_services.current_fiscal_year()

    filed = staff_client.get(reverse("groups:report_overview"), {"filed": "yes"})
    not_filed = staff_client.get(
        reverse("groups:report_overview"), {"year": year, "filed": "no"}
    )

    assert [g.pk for g in filed.context["page"]] == [group.pk]
    assert [g.pk for g in not_filed.context["page"]] == [missing.pk]
    assert filed.context["filed_count"] == 1


@pytest.mark.parametrize("count", [1, 60])
def test_overview_bounded_queries(client, django_assert_max_num_queries, count):
    CivicGroupFactory.create_batch(count)
    client.force_login(centre_staff_of("35203", SupportCentre.Scope.PREFECTURE))

    with django_assert_max_num_queries(12):
        response = client.get(reverse("groups:report_overview"))

    assert response.status_code == 200


def test_remind_sends_mail_to_admins(
    client, group, group_staff, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(centre_staff_of("35203", SupportCentre.Scope.PREFECTURE))
    year = report_services.current_fiscal_year()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("groups:report_remind"), {"year": year})

    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[group_staff.email]]
    assert any("Reminders are being sent" in m for m in messages_of(response))


def test_remind_rejects_past_year(client, group, group_staff, mailoutbox):
    client.force_login(centre_staff_of("35203", SupportCentre.Scope.PREFECTURE))
    year = report_services.current_fiscal_year() - 1

    response = client.post(reverse("groups:report_remind"), {"year": year})

    assert response.status_code == 302
    assert mailoutbox == []
    assert any("current fiscal year" in m for m in messages_of(response))


def test_staff_report_detail_limited_to_centre(client, group):
    report = AnnualGroupReport.objects.create(
        group=group, fiscal_year=2026, main_activities="x", self_evaluation=3
    )
    url = reverse("groups:staff_report_detail", args=[report.pk])

    client.force_login(centre_staff_of("35202"))
    assert client.get(url).status_code == 404
    client.force_login(centre_staff_of("35203", SupportCentre.Scope.PREFECTURE))
    assert client.get(url).status_code == 200


def test_pending_group_not_in_overview(client):
    CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    client.force_login(centre_staff_of("35203", SupportCentre.Scope.PREFECTURE))

    response = client.get(reverse("groups:report_overview"))

    assert response.context["total"] == 0


def test_report_form_page_renders(staff_client, group):
    response = staff_client.get(reverse("groups:report_create", args=[group.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "70 and over" in content
    assert 'name="participants_70_plus"' in content
    assert 'inputmode="numeric"' in content
    assert "---------" not in content


def test_group_reports_page_links_to_filing(staff_client, group):
    url = reverse("groups:group_reports", args=[group.pk])
    create_url = reverse("groups:report_create", args=[group.pk])

    before = staff_client.get(url)
    staff_client.post(create_url, form_data())
    after = staff_client.get(url)

    assert before.context["filed_this_year"] is False
    assert create_url in before.content.decode()
    assert after.context["filed_this_year"] is True
    assert len(after.context["reports"]) == 1
    assert reverse("groups:manage", args=[group.pk]) in after.content.decode()
