"""Applying to register a group through the form, and following the review."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import (
    CivicGroup,
    GroupMembership,
    GroupReview,
    GroupStatusChange,
    SupportCentre,
    SupportCentreStaff,
)
from groups.services import registration
from tests.factories import UserFactory, activity_field, municipality

pytestmark = pytest.mark.django_db

# A valid corporate number: check digit 2 for the base 000012345678.
VALID_NUMBER = "2000012345678"


def application_data(**overrides):
    data = {
        "name": "やまぐち子ども食堂ネット",
        "name_kana": "やまぐちこどもしょくどうねっと",
        "legal_form": CivicGroup.LegalForm.VOLUNTARY,
        "corporate_number": "",
        "representative": "山口 花子",
        "municipality": str(municipality("35203").pk),
        "postal_code": "７５３－０００１",
        "address": "山口市中央1-1-1",
        "founded_on": "2020-04-01",
        "member_count": "12",
        "description": "子ども食堂の運営を支え合うネットワークです。",
        "website": "https://example.jp/",
        "social_links": "https://example.jp/sns\nhttps://example.jp/blog",
        "public_email": "info@example.jp",
        "public_phone": "０８３ー９２２ー１１１１",
        "contact_name": "山口 花子",
        "contact_email": "hanako@example.jp",
        "contact_phone": "",
        "activity_fields": [str(activity_field(2).pk), str(activity_field(13).pk)],
        "declare_organised": "on",
        "declare_not_religious": "on",
        "declare_not_political": "on",
        "declare_not_for_profit": "on",
    }
    data.update(overrides)
    return data


def centre_staff_of(code, scope=SupportCentre.Scope.MUNICIPAL, email=None):
    centre = SupportCentre.objects.get(municipality__code=code, scope=scope)
    user = UserFactory(email=email or f"centre-{scope}-{code}@example.jp")
    SupportCentreStaff.objects.create(centre=centre, user=user)
    return user


def test_register_requires_login(client):
    response = client.get(reverse("groups:register"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_register_creates_pending_group(
    client, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("groups:register"), application_data())

    group = CivicGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:application", args=[group.pk])
    assert group.review_status == CivicGroup.ReviewStatus.PENDING
    assert group.created_by == resident
    assert group.declared_conditions_at is not None
    assert group.postal_code == "753-0001"
    assert group.public_phone == "083-922-1111"
    assert group.social_links == ["https://example.jp/sns", "https://example.jp/blog"]
    assert sorted(group.activity_fields.values_list("number", flat=True)) == [2, 13]
    membership = GroupMembership.objects.get(group=group)
    assert membership.user == resident
    assert membership.role == GroupMembership.Role.ADMIN
    assert group.reviews.get().action == GroupReview.Action.SUBMITTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "やまぐち子ども食堂ネット" in mail.outbox[0].subject


def test_pending_group_is_not_public(client, resident):
    client.force_login(resident)
    client.post(reverse("groups:register"), application_data())

    assert not CivicGroup.objects.public().exists()


def test_register_needs_every_declaration(client, resident):
    client.force_login(resident)
    data = application_data()
    del data["declare_not_political"]
    response = client.post(reverse("groups:register"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["declare_not_political"] == [
        "Tick this box to declare it."
    ]
    assert not CivicGroup.objects.exists()


def test_register_keeps_input_on_error(client, resident):
    client.force_login(resident)
    data = application_data(declare_organised="", contact_email="not-an-address")
    response = client.post(reverse("groups:register"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="やまぐち子ども食堂ネット"' in content
    assert "子ども食堂の運営を支え合うネットワークです。" in content
    assert 'value="not-an-address"' in content
    assert "https://example.jp/sns\nhttps://example.jp/blog" in content
    assert 'role="alert"' in content


def test_register_groups_fields_in_fieldsets(client, resident):
    client.force_login(resident)
    content = client.get(reverse("groups:register")).content.decode()

    assert content.count("<fieldset") >= 6
    assert "Private contact (not shown in public)" in content
    assert "Declaration" in content


def test_corporation_needs_corporate_number(client, resident):
    client.force_login(resident)
    data = application_data(legal_form=CivicGroup.LegalForm.NPO)
    response = client.post(reverse("groups:register"), data)

    assert response.context["form"].errors["corporate_number"] == [
        "A corporation must give its 13-digit corporate number."
    ]


def test_corporate_number_full_width_with_hyphens(client, resident):
    client.force_login(resident)
    data = application_data(
        legal_form=CivicGroup.LegalForm.NPO,
        corporate_number="２ー０００－０１２３ー４５６７８",
    )
    client.post(reverse("groups:register"), data)

    assert CivicGroup.objects.get().corporate_number == VALID_NUMBER


def test_corporate_number_wrong_check_digit(client, resident):
    client.force_login(resident)
    data = application_data(
        legal_form=CivicGroup.LegalForm.NPO, corporate_number="3000012345678"
    )
    response = client.post(reverse("groups:register"), data)

    assert response.context["form"].errors["corporate_number"] == [
        "This corporate number is not valid: check the digits."
    ]
    assert not CivicGroup.objects.exists()


def test_corporate_number_already_registered(client, resident):
    CivicGroup.objects.create(
        name="既存法人",
        legal_form=CivicGroup.LegalForm.NPO,
        corporate_number=VALID_NUMBER,
        municipality=municipality(),
    )
    client.force_login(resident)
    data = application_data(
        legal_form=CivicGroup.LegalForm.NPO, corporate_number=VALID_NUMBER
    )
    response = client.post(reverse("groups:register"), data)

    assert response.status_code == 200
    assert (
        "already registered" in response.context["form"].errors["corporate_number"][0]
    )
    assert CivicGroup.objects.count() == 1


def test_invalid_postal_code_and_phone(client, resident):
    client.force_login(resident)
    data = application_data(postal_code="75300", public_phone="083-abc")
    response = client.post(reverse("groups:register"), data)

    errors = response.context["form"].errors
    assert errors["postal_code"] == [
        "Enter the postal code as 7 digits, for example 753-0001."
    ]
    assert errors["public_phone"] == [
        "Enter a phone number of 10 or 11 digits, for example 083-922-1111."
    ]


def _apply(client, user, **overrides):
    client.force_login(user)
    client.post(reverse("groups:register"), application_data(**overrides))
    return CivicGroup.objects.get(created_by=user)


def test_full_review_cycle(client, resident, django_capture_on_commit_callbacks):
    """Ask for changes, resubmit, approve: one review row and one mail each."""
    resident.preferred_language = "en"
    resident.save()
    reviewer = centre_staff_of("35203")
    with django_capture_on_commit_callbacks(execute=True):
        group = _apply(client, resident)

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:review_group", args=[group.pk]),
            {
                "action": "changes_requested",
                "reason": "活動内容を詳しく書いてください。",
            },
        )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.review_status == CivicGroup.ReviewStatus.CHANGES_REQUESTED
    assert "活動内容を詳しく書いてください。" in mail.outbox[-1].body

    client.force_login(resident)
    page = client.get(reverse("groups:application", args=[group.pk]))
    assert "活動内容を詳しく書いてください。" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:application", args=[group.pk]),
            application_data(description="毎週土曜日に子ども食堂を開いています。"),
        )
    group.refresh_from_db()
    assert group.review_status == CivicGroup.ReviewStatus.PENDING
    assert group.description == "毎週土曜日に子ども食堂を開いています。"

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:review_group", args=[group.pk]), {"action": "approved"}
        )
    group.refresh_from_db()
    assert group.review_status == CivicGroup.ReviewStatus.APPROVED
    assert group.approved_at is not None
    assert group.registered_on is not None
    assert CivicGroup.objects.public().filter(pk=group.pk).exists()
    status = GroupStatusChange.objects.get(group=group)
    assert status.status == CivicGroup.Status.ACTIVE
    assert status.effective_on == group.registered_on
    actions = list(group.reviews.values_list("action", flat=True))
    assert actions == ["submitted", "changes_requested", "submitted", "approved"]
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].subject == (
        "Registration approved: やまぐち子ども食堂ネット"
    )


def test_reject_needs_reason(client, resident):
    reviewer = centre_staff_of("35203")
    group = _apply(client, resident)
    client.force_login(reviewer)
    response = client.post(
        reverse("groups:review_group", args=[group.pk]), {"action": "rejected"}
    )

    assert response.status_code == 200
    assert response.context["decision_form"].errors["reason"] == [
        "Give the reason, so that the applicant knows what to do."
    ]
    group.refresh_from_db()
    assert group.review_status == CivicGroup.ReviewStatus.PENDING


def test_rejected_application_is_final(
    client, resident, django_capture_on_commit_callbacks
):
    reviewer = centre_staff_of("35203")
    group = _apply(client, resident)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:review_group", args=[group.pk]),
            {"action": "rejected", "reason": "営利目的の活動です。"},
        )
    group.refresh_from_db()
    assert group.review_status == CivicGroup.ReviewStatus.REJECTED
    assert "営利目的の活動です。" in mail.outbox[-1].body
    assert not CivicGroup.objects.public().exists()

    client.force_login(resident)
    page = client.get(reverse("groups:application", args=[group.pk]))
    assert page.context["form"] is None
    client.post(reverse("groups:application", args=[group.pk]), application_data())
    group.refresh_from_db()
    assert group.review_status == CivicGroup.ReviewStatus.REJECTED


def test_decided_application_cannot_be_decided_again(resident, client):
    reviewer = centre_staff_of("35203")
    group = _apply(client, resident)
    registration.decide_registration(group_id=group.pk, by=reviewer, action="approved")

    with pytest.raises(ValidationError, match="awaiting review"):
        registration.decide_registration(
            group_id=group.pk, by=reviewer, action="rejected", reason="x"
        )


def test_review_mail_sent_once_on_retry(
    client, resident, django_capture_on_commit_callbacks
):
    from groups.tasks.registration import send_review_mail

    with django_capture_on_commit_callbacks(execute=True):
        group = _apply(client, resident)
    review = group.reviews.get()

    assert send_review_mail(review.pk) == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("count", [1, 21])
def test_my_groups_queries_bounded(
    client, resident, django_assert_max_num_queries, count
):
    for index in range(count):
        GroupMembership.objects.create(
            group=CivicGroup.objects.create(
                name=f"団体{index}", legal_form="voluntary", municipality=municipality()
            ),
            user=resident,
        )
    client.force_login(resident)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("groups:my_groups"))

    assert response.status_code == 200
    assert len(response.context["memberships"]) == count
    assert "団体0" in response.content.decode()


def test_my_groups_links_by_review_status(client, group, group_staff, resident):
    pending = _apply(client, resident)
    GroupMembership.objects.create(group=group, user=resident)
    response = client.get(reverse("groups:my_groups"))

    content = response.content.decode()
    assert reverse("groups:application", args=[pending.pk]) in content
    assert reverse("groups:manage", args=[group.pk]) in content


def test_register_page_in_default_language(japanese_client, resident):
    japanese_client.force_login(resident)
    response = japanese_client.get(reverse("groups:register"))

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
