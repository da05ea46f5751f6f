"""Profile edits by group staff, change requests for the legal facts, history."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from groups.models import (
    Certification,
    CivicGroup,
    GroupChangeRequest,
    GroupMembership,
    GroupRevision,
)
from groups.services.profile import update_profile
from tests.factories import CivicGroupFactory, GroupMembershipFactory, municipality
from tests.groups.test_registration_flow import (
    VALID_NUMBER,
    application_data,
    centre_staff_of,
)

pytestmark = pytest.mark.django_db


def profile_data(group, **overrides):
    """The profile form as the group's current values would fill it."""
    data = {
        key: value
        for key, value in application_data().items()
        if not key.startswith("declare_")
        and key not in ("name", "name_kana", "legal_form", "corporate_number")
    }
    data["municipality"] = str(group.municipality_id)
    data.update(overrides)
    return data


@pytest.fixture
def editor(group):
    return GroupMembershipFactory(
        group=group, role=GroupMembership.Role.EDITOR, user__email="editor@example.jp"
    ).user


def test_profile_edit_publishes_and_records(client, group, editor):
    client.force_login(editor)
    client.post(reverse("groups:profile_edit", args=[group.pk]), profile_data(group))
    response = client.post(
        reverse("groups:profile_edit", args=[group.pk]),
        profile_data(group, description="毎月第2日曜日に活動しています。"),
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.description == "毎月第2日曜日に活動しています。"
    revision = GroupRevision.objects.filter(group=group).first()
    assert revision.changed_by == editor
    assert revision.changes == {
        "description": {
            "old": "子ども食堂の運営を支え合うネットワークです。",
            "new": "毎月第2日曜日に活動しています。",
        }
    }


def test_profile_edit_records_every_field(client, group, group_staff):
    client.force_login(group_staff)
    client.post(reverse("groups:profile_edit", args=[group.pk]), profile_data(group))

    changes = GroupRevision.objects.get(group=group).changes
    assert changes["postal_code"] == {"old": "", "new": "753-0001"}
    assert changes["founded_on"] == {"old": None, "new": "2020-04-01"}
    assert changes["activity_fields"] == {"old": [], "new": [2, 13]}
    assert "municipality" not in changes


def test_profile_edit_records_municipality_name(client, group, group_staff):
    client.force_login(group_staff)
    client.post(
        reverse("groups:profile_edit", args=[group.pk]),
        profile_data(group, municipality=str(municipality("35201").pk)),
    )

    changes = GroupRevision.objects.get(group=group).changes
    assert changes["municipality"] == {"old": "山口市", "new": "下関市"}


def test_profile_edit_without_change_records_nothing(client, group, group_staff):
    client.force_login(group_staff)
    client.post(reverse("groups:profile_edit", args=[group.pk]), profile_data(group))
    client.post(reverse("groups:profile_edit", args=[group.pk]), profile_data(group))

    assert GroupRevision.objects.filter(group=group).count() == 1


def test_profile_edit_confirms_information(client, group, group_staff):
    long_ago = timezone.now() - dt.timedelta(days=600)
    CivicGroup.objects.filter(pk=group.pk).update(
        approved_at=long_ago, info_confirmed_at=long_ago
    )
    client.force_login(group_staff)
    before = timezone.now()

    client.post(
        reverse("groups:profile_edit", args=[group.pk]),
        profile_data(group, description="活動日を更新しました。"),
    )

    group.refresh_from_db()
    assert group.info_confirmed_at >= before
    assert not group.is_unconfirmed(timezone.now())


def test_unchanged_save_confirms_information(group, group_staff):
    before = timezone.now()

    revision = update_profile(group_id=group.pk, by=group_staff, fields={})

    group.refresh_from_db()
    assert revision is None
    assert group.info_confirmed_at >= before


def test_rejected_edit_confirms_nothing(group, resident):
    with pytest.raises(PermissionDenied):
        update_profile(group_id=group.pk, by=resident, fields={})

    group.refresh_from_db()
    assert group.info_confirmed_at is None


def test_profile_form_has_no_legal_fields(client, group, group_staff):
    client.force_login(group_staff)
    client.post(
        reverse("groups:profile_edit", args=[group.pk]),
        profile_data(group, name="勝手な新名称", legal_form="npo"),
    )

    group.refresh_from_db()
    assert group.name != "勝手な新名称"
    assert group.legal_form == CivicGroup.LegalForm.NPO


def test_profile_edit_keeps_input_on_error(client, group, group_staff):
    client.force_login(group_staff)
    response = client.post(
        reverse("groups:profile_edit", args=[group.pk]),
        profile_data(group, description="下書きの説明", public_phone="12"),
    )

    assert response.status_code == 200
    assert "下書きの説明" in response.content.decode()
    assert not GroupRevision.objects.exists()


def test_profile_of_pending_group_redirects(client, resident):
    pending = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    GroupMembershipFactory(group=pending, user=resident)
    client.force_login(resident)
    response = client.get(reverse("groups:profile_edit", args=[pending.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:application", args=[pending.pk])


def test_non_staff_cannot_edit(client, resident, group):
    client.force_login(resident)
    for name in ("manage", "profile_edit", "change_request", "history", "staff"):
        url = reverse(f"groups:{name}", args=[group.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, profile_data(group)).status_code == 404, name
    assert not GroupRevision.objects.exists()


def test_staff_of_other_group_cannot_edit(client, other_group_staff, group):
    client.force_login(other_group_staff)
    for name in ("manage", "profile_edit", "change_request", "history", "staff"):
        url = reverse(f"groups:{name}", args=[group.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, profile_data(group)).status_code == 404, name
    response = client.get(reverse("groups:application", args=[group.pk]))
    assert response.status_code == 404


def test_anonymous_redirected_to_login(client, group):
    response = client.get(reverse("groups:profile_edit", args=[group.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_non_staff_cannot_edit_application(client, resident, other_resident):
    pending = CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.PENDING, created_by=resident
    )
    GroupMembershipFactory(group=pending, user=resident)
    client.force_login(other_resident)

    assert (
        client.get(reverse("groups:application", args=[pending.pk])).status_code == 404
    )
    response = client.post(
        reverse("groups:application", args=[pending.pk]), application_data()
    )
    assert response.status_code == 404


# Change requests


def test_name_change_waits_for_review(
    client, group, group_staff, django_capture_on_commit_callbacks
):
    group_staff.preferred_language = "en"
    group_staff.save()
    old_name = group.name
    client.force_login(group_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:change_request", args=[group.pk]),
            {"name": "やまぐち里山ネットワーク", "note": "総会で改称しました。"},
        )

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == old_name
    request = GroupChangeRequest.objects.get(group=group)
    assert request.status == GroupChangeRequest.Status.PENDING
    assert request.requested_by == group_staff
    assert mail.outbox[-1].to == [group_staff.email]
    assert "Change request received" in mail.outbox[-1].subject


def test_approved_change_applies_and_is_recorded(
    client, group, group_staff, django_capture_on_commit_callbacks
):
    group_staff.preferred_language = "en"
    group_staff.save()
    old_name = group.name
    client.force_login(group_staff)
    client.post(
        reverse("groups:change_request", args=[group.pk]),
        {"name": "やまぐち里山ネットワーク", "corporate_number": VALID_NUMBER},
    )
    request = GroupChangeRequest.objects.get(group=group)
    client.force_login(centre_staff_of("35203"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:review_change_request", args=[request.pk]),
            {"action": "approved"},
        )

    group.refresh_from_db()
    request.refresh_from_db()
    assert group.name == "やまぐち里山ネットワーク"
    assert group.corporate_number == VALID_NUMBER
    assert request.status == GroupChangeRequest.Status.APPROVED
    assert request.decided_at is not None
    revision = GroupRevision.objects.get(group=group)
    assert revision.changes["name"] == {
        "old": old_name,
        "new": "やまぐち里山ネットワーク",
    }
    assert mail.outbox[-1].subject == "Change approved: やまぐち里山ネットワーク"


def test_certification_change_creates_certification(client, group, group_staff):
    client.force_login(group_staff)
    client.post(
        reverse("groups:change_request", args=[group.pk]),
        {"certification_kind": "certified", "certified_on": "2024-04-01"},
    )
    request = GroupChangeRequest.objects.get(group=group)
    client.force_login(centre_staff_of("35203"))
    client.post(
        reverse("groups:review_change_request", args=[request.pk]),
        {"action": "approved"},
    )

    certification = Certification.objects.get(group=group)
    assert certification.kind == Certification.Kind.CERTIFIED
    assert certification.certified_on == dt.date(2024, 4, 1)
    assert certification.expires_on == Certification.expiry_for(
        "certified", dt.date(2024, 4, 1)
    )
    group.refresh_from_db()
    assert group.legal_form == CivicGroup.LegalForm.CERTIFIED_NPO


def test_sent_back_change_is_resubmitted(client, group, group_staff):
    client.force_login(group_staff)
    client.post(
        reverse("groups:change_request", args=[group.pk]), {"name": "新名称（仮）"}
    )
    request = GroupChangeRequest.objects.get(group=group)
    reviewer = centre_staff_of("35203")
    client.force_login(reviewer)
    client.post(
        reverse("groups:review_change_request", args=[request.pk]),
        {"action": "changes_requested", "reason": "正式名称を記入してください。"},
    )
    request.refresh_from_db()
    assert request.status == GroupChangeRequest.Status.CHANGES_REQUESTED

    client.force_login(group_staff)
    page = client.get(reverse("groups:change_request", args=[group.pk]))
    assert "正式名称を記入してください。" in page.content.decode()
    client.post(
        reverse("groups:change_request", args=[group.pk]), {"name": "新名称の会"}
    )

    request.refresh_from_db()
    assert GroupChangeRequest.objects.filter(group=group).count() == 1
    assert request.status == GroupChangeRequest.Status.PENDING
    assert request.name == "新名称の会"
    actions = list(request.reviews.values_list("action", flat=True))
    assert actions == ["submitted", "changes_requested", "submitted"]


def test_rejected_change_keeps_details(client, group, group_staff):
    old_name = group.name
    client.force_login(group_staff)
    client.post(reverse("groups:change_request", args=[group.pk]), {"name": "別名"})
    request = GroupChangeRequest.objects.get(group=group)
    client.force_login(centre_staff_of("35203"))
    client.post(
        reverse("groups:review_change_request", args=[request.pk]),
        {"action": "rejected", "reason": "改称の議事録がありません。"},
    )

    group.refresh_from_db()
    request.refresh_from_db()
    assert group.name == old_name
    assert request.status == GroupChangeRequest.Status.REJECTED


def test_empty_change_request_rejected(client, group, group_staff):
    client.force_login(group_staff)
    response = client.post(
        reverse("groups:change_request", args=[group.pk]), {"name": group.name}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nothing would change. Fill in only the values that change."
    ]
    assert not GroupChangeRequest.objects.exists()


def test_change_to_corporation_needs_number(client, group, group_staff):
    group.legal_form = CivicGroup.LegalForm.VOLUNTARY
    group.save()
    client.force_login(group_staff)
    response = client.post(
        reverse("groups:change_request", args=[group.pk]), {"legal_form": "npo"}
    )

    assert response.context["form"].errors["corporate_number"] == [
        "A corporation must give its 13-digit corporate number."
    ]


def test_certified_form_needs_certification(client, group, group_staff):
    client.force_login(group_staff)
    response = client.post(
        reverse("groups:change_request", args=[group.pk]),
        {"legal_form": "certified_npo", "corporate_number": VALID_NUMBER},
    )

    assert "kind and date" in response.context["form"].errors["certification_kind"][0]


def test_other_municipality_cannot_decide_change(client, group, group_staff):
    client.force_login(group_staff)
    client.post(reverse("groups:change_request", args=[group.pk]), {"name": "別名"})
    request = GroupChangeRequest.objects.get(group=group)
    client.force_login(centre_staff_of("35201"))
    response = client.post(
        reverse("groups:review_change_request", args=[request.pk]),
        {"action": "approved"},
    )

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == GroupChangeRequest.Status.PENDING


# History


def test_history_shown_to_staff_and_centre(client, group, group_staff):
    client.force_login(group_staff)
    client.post(
        reverse("groups:profile_edit", args=[group.pk]),
        profile_data(group, description="新しい説明文"),
    )
    url = reverse("groups:history", args=[group.pk])
    staff_page = client.get(url)
    client.force_login(centre_staff_of("35203"))
    centre_page = client.get(url)

    for response in (staff_page, centre_page):
        content = response.content.decode()
        assert response.status_code == 200
        assert "新しい説明文" in content
        assert "Description" in content


def test_history_hidden_from_other_municipality(client, group):
    group.municipality = municipality("35203")
    group.save()
    client.force_login(centre_staff_of("35202"))

    assert client.get(reverse("groups:history", args=[group.pk])).status_code == 404
