"""Campaign pages: who may open each, what the forms do, and query counts."""

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Loan, Participation, Photo, PhotoExport
from tests.campaigns.factories import (
    ActivityFactory,
    CampaignFactory,
    LoanFactory,
    LoanItemFactory,
    ParticipationFactory,
    PhotoFactory,
    group_participation,
    upload,
)
from tests.factories import UserFactory, centre_staff, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return centre_staff(UserFactory(email="centre@example.jp"))


@pytest.fixture
def own(resident):
    """The resident's participation, with one activity, loan and photo."""
    activity = ActivityFactory(participation__user=resident)
    participation = activity.participation
    LoanFactory(participation=participation)
    PhotoFactory(participation=participation)
    return participation


def participant_urls(participation):
    photo = participation.photos.get()
    return [
        reverse("campaigns:participation_detail", args=[participation.pk]),
        reverse("campaigns:participation_edit", args=[participation.pk]),
        reverse("campaigns:participation_withdraw", args=[participation.pk]),
        reverse("campaigns:loan_new", args=[participation.pk]),
        reverse("campaigns:photo_new", args=[participation.pk]),
        reverse("campaigns:photo_withdraw", args=[photo.pk]),
    ]


def staff_urls(campaign):
    item = LoanItemFactory()
    loan = LoanFactory(participation__campaign=campaign)
    photo = PhotoFactory(participation__campaign=campaign)
    export = PhotoExport.objects.create(campaign=campaign)
    return [
        reverse("campaigns:campaign_new"),
        reverse("campaigns:campaign_edit", args=[campaign.pk]),
        reverse("campaigns:participation_list", args=[campaign.pk]),
        reverse("campaigns:participation_list", args=[campaign.pk]) + "?format=csv",
        reverse("campaigns:photo_review", args=[campaign.pk]),
        reverse("campaigns:photo_reject", args=[photo.pk]),
        reverse("campaigns:export_list", args=[campaign.pk]),
        reverse("campaigns:export_detail", args=[export.pk]),
        reverse("campaigns:staff_loans"),
        reverse("campaigns:loan_reject", args=[loan.pk]),
        reverse("campaigns:item_list"),
        reverse("campaigns:item_new"),
        reverse("campaigns:item_edit", args=[item.pk]),
    ]


def test_public_pages_open_to_anyone(client):
    campaign = PhotoFactory(status=Photo.Status.APPROVED).participation.campaign

    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:gallery", args=[campaign.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_participant_pages_need_login(client, own):
    for url in participant_urls(own):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("intruder", ["other_resident", "other_group_staff", "staff"])
def test_participant_pages_hidden_from_others(client, own, intruder, request):
    client.force_login(request.getfixturevalue(intruder))

    for url in participant_urls(own):
        assert client.get(url).status_code == 404, url


def test_participant_pages_open_to_owner(client, own):
    client.force_login(own.user)

    for url in participant_urls(own):
        assert client.get(url).status_code == 200, url


def test_group_participation_open_to_group_staff(client, group_staff):
    participation = group_participation(CampaignFactory(), UserFactory())
    participation.group.memberships.create(user=group_staff)
    client.force_login(group_staff)

    url = reverse("campaigns:participation_detail", args=[participation.pk])

    assert client.get(url).status_code == 200


def test_staff_pages_need_login(client):
    for url in staff_urls(CampaignFactory()):
        response = client.get(url)
        assert response.status_code == 302, url


@pytest.mark.parametrize("outsider", ["resident", "other_group_staff"])
def test_staff_pages_forbidden_to_others(client, outsider, request):
    client.force_login(request.getfixturevalue(outsider))

    for url in staff_urls(CampaignFactory()):
        assert client.get(url).status_code == 403, url


def test_staff_pages_open_to_centre_staff(client, staff):
    client.force_login(staff)

    for url in staff_urls(CampaignFactory()):
        assert client.get(url).status_code == 200, url


def test_municipal_staff_forbidden_on_prefecture_campaign(client):
    municipal = centre_staff(UserFactory(), scope="municipal")
    client.force_login(municipal)
    campaign = CampaignFactory()

    url = reverse("campaigns:participation_list", args=[campaign.pk])

    assert client.get(url).status_code == 403


def test_post_actions_forbidden_to_resident(client, resident):
    loan = LoanFactory()
    photo = PhotoFactory()
    client.force_login(resident)

    for url in (
        reverse("campaigns:loan_action", args=[loan.pk, "approve"]),
        reverse("campaigns:photo_approve", args=[photo.pk]),
        reverse("campaigns:export_list", args=[photo.participation.campaign_id]),
    ):
        assert client.post(url).status_code == 403, url
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REQUESTED


def test_staff_creates_campaign(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("campaigns:campaign_new"),
        {
            "title": "ボランティアチャレンジ",
            "description": "夏休みのボランティア体験",
            "starts_on": "2026-07-20",
            "ends_on": "2026-08-31",
            "registration_open": "on",
        },
    )

    assert response.status_code == 302


def test_campaign_form_rejects_reversed_period(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("campaigns:campaign_new"),
        {
            "title": "x",
            "description": "x",
            "starts_on": "2026-08-31",
            "ends_on": "2026-07-20",
        },
    )

    assert response.status_code == 200
    assert "The last day must be on or after the first day." in response.text


def registration_data(campaign, **changes):
    data = {
        "participant": "myself",
        "summary": "地域の清掃をします",
        "share_consent": "on",
        "activities-TOTAL_FORMS": "2",
        "activities-INITIAL_FORMS": "0",
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "20",
        "activities-0-title": "海岸清掃",
        "activities-0-date": campaign.starts_on.isoformat(),
        "activities-0-place": "秋穂海岸",
        "activities-0-municipality": str(municipality().pk),
        "activities-0-expected_participants": "8",
    }
    data.update(changes)
    return data


def test_resident_registers_on_page(client, resident):
    campaign = CampaignFactory()
    client.force_login(resident)

    response = client.post(
        reverse("campaigns:participation_new", args=[campaign.pk]),
        registration_data(campaign),
    )

    participation = Participation.objects.get()
    assert response.status_code == 302
    assert participation.share_consent_at is not None
    assert participation.activities.count() == 1


def test_registration_date_outside_period_kept_on_page(client, resident):
    campaign = CampaignFactory()
    client.force_login(resident)
    late = (campaign.ends_on + dt.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("campaigns:participation_new", args=[campaign.pk]),
        registration_data(campaign, **{"activities-0-date": late}),
    )

    assert response.status_code == 200
    assert "the campaign&#x27;s period" in response.text
    assert "地域の清掃をします" in response.text
    assert not Participation.objects.exists()


def test_registration_too_many_participants_kept(client, resident):
    campaign = CampaignFactory()
    client.force_login(resident)

    response = client.post(
        reverse("campaigns:participation_new", args=[campaign.pk]),
        registration_data(campaign, **{"activities-0-expected_participants": "100000"}),
    )

    assert response.status_code == 200
    assert "Expect at most 10000 participants." in response.text
    assert 'value="100000"' in response.text
    assert not Participation.objects.exists()


def test_participant_forms_no_colon_after_sentence(japanese_client, own):
    japanese_client.force_login(own.user)
    campaign = CampaignFactory()

    for url in (
        reverse("campaigns:participation_new", args=[campaign.pk]),
        reverse("campaigns:photo_new", args=[own.pk]),
    ):
        response = japanese_client.get(url)
        assert response.status_code == 200, url
        assert "。：" not in response.text, url
        assert "。</label>" in response.text, url


def test_campaign_period_named_alike_in_japanese(japanese_client, staff):
    japanese_client.force_login(staff)

    response = japanese_client.get(reverse("campaigns:campaign_new"))
    rejected = japanese_client.post(
        reverse("campaigns:campaign_new"),
        {
            "title": "x",
            "description": "x",
            "starts_on": "2026-08-31",
            "ends_on": "2026-07-20",
        },
    )

    assert "終了日" in response.text
    assert "最終日" not in response.text
    assert "終了日は開始日と同じ日かそれより後にしてください。" in rejected.text
    assert "最終日" not in rejected.text


def test_registration_for_foreign_group_rejected(client, resident, group):
    campaign = CampaignFactory()
    client.force_login(resident)

    response = client.post(
        reverse("campaigns:participation_new", args=[campaign.pk]),
        registration_data(campaign, participant=str(group.pk)),
    )

    assert response.status_code == 200
    assert not Participation.objects.exists()


def test_upload_text_as_jpg_rejected_on_page(client, own):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(own.user)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", "image/jpeg")

    response = client.post(
        reverse("campaigns:photo_new", args=[own.pk]),
        {
            "image": fake,
            "caption": "x",
            "credit": "x",
            "people": "none",
            "statement_confirmed": "on",
        },
    )

    assert response.status_code == 200
    assert "The file is not a JPEG, PNG or WebP image." in response.text
    assert own.photos.count() == 1


def test_upload_on_page(client, own):
    client.force_login(own.user)

    response = client.post(
        reverse("campaigns:photo_new", args=[own.pk]),
        {
            "image": upload(),
            "caption": "清掃後の海岸",
            "credit": "山口 太郎",
            "people": "none",
            "statement_confirmed": "on",
        },
    )

    assert response.status_code == 302
    assert own.photos.count() == 2


def test_withdrawn_photo_leaves_gallery_page(client, own):
    photo = own.photos.get()
    photo.status = Photo.Status.APPROVED
    photo.save()
    gallery_url = reverse("campaigns:gallery", args=[own.campaign_id])
    assert photo.image.url in client.get(gallery_url).text
    client.force_login(own.user)

    client.post(reverse("campaigns:photo_withdraw", args=[photo.pk]))

    assert photo.image.url not in client.get(gallery_url).text


def test_share_consent_given_and_withdrawn_on_page(client, own):
    client.force_login(own.user)

    client.post(reverse("campaigns:participation_consent", args=[own.pk, "give"]))
    own.refresh_from_db()
    given = own.share_consent_at
    client.post(reverse("campaigns:participation_consent", args=[own.pk, "withdraw"]))
    own.refresh_from_db()

    assert given is not None
    assert own.share_consent_at is None


def test_unknown_consent_action_not_found(client, own):
    client.force_login(own.user)

    url = reverse("campaigns:participation_consent", args=[own.pk, "maybe"])

    assert client.post(url).status_code == 404


def test_withdraw_participation_on_page(client, own):
    client.force_login(own.user)

    response = client.post(reverse("campaigns:participation_withdraw", args=[own.pk]))

    own.refresh_from_db()
    assert response.status_code == 302
    assert own.withdrawn_at is not None


def test_staff_approves_loan_and_mails(
    client, staff, django_capture_on_commit_callbacks
):
    loan = LoanFactory()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campaigns:loan_action", args=[loan.pk, "approve"]))

    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED
    assert len(mail.outbox) == 1


def test_loan_decisions_say_participant_notified(client, staff):
    approved = LoanFactory()
    rejected = LoanFactory()
    client.force_login(staff)

    approve = client.post(
        reverse("campaigns:loan_action", args=[approved.pk, "approve"]), follow=True
    )
    reject = client.post(
        reverse("campaigns:loan_reject", args=[rejected.pk]),
        {"reason": "在庫がありません"},
        follow=True,
    )

    assert "The loan is approved, and the participant was notified." in approve.text
    assert "The loan was rejected, and the participant was notified." in reject.text


def test_overdue_filter_lists_overdue_loans(client, staff):
    participation = ParticipationFactory(
        campaign=CampaignFactory(
            starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2030, 12, 31)
        )
    )
    overdue = LoanFactory(
        participation=participation,
        status=Loan.Status.LENT,
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 1, 6),
    )
    LoanFactory(
        participation=participation,
        status=Loan.Status.LENT,
        starts_on=dt.date(2030, 1, 5),
        ends_on=dt.date(2030, 1, 6),
    )
    client.force_login(staff)

    response = client.get(reverse("campaigns:staff_loans") + "?status=overdue")

    assert list(response.context["page"].object_list) == [overdue]
    assert response.context["overdue_count"] == 1


def test_participation_export_csv(client, staff, resident):
    activity = ActivityFactory(participation__user=resident, title="=cmd")
    client.force_login(staff)

    response = client.get(
        reverse(
            "campaigns:participation_list", args=[activity.participation.campaign_id]
        )
        + "?format=csv"
    )

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=cmd" in text
    assert "(not shared)" in text
    assert resident.email not in text


def test_participation_export_xlsx(client, staff):
    activity = ActivityFactory()
    client.force_login(staff)

    response = client.get(
        reverse(
            "campaigns:participation_list", args=[activity.participation.campaign_id]
        )
        + "?format=xlsx"
    )

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_photo_export_on_page(client, staff, django_capture_on_commit_callbacks):
    photo = PhotoFactory(status=Photo.Status.APPROVED)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:export_list", args=[photo.participation.campaign_id])
        )
    detail = client.get(response["Location"])
    export = PhotoExport.objects.get()
    download = client.get(reverse("campaigns:export_download", args=[export.pk]))

    assert "Download the ZIP file" in detail.text
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "captions.csv" in archive.namelist()
    assert len(archive.namelist()) == 2


def test_stale_export_not_downloaded(client, staff, django_capture_on_commit_callbacks):
    photo = PhotoFactory(status=Photo.Status.APPROVED)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("campaigns:export_list", args=[photo.participation.campaign_id])
        )
    export = PhotoExport.objects.get()
    photo.status = Photo.Status.WITHDRAWN
    photo.save()

    response = client.get(reverse("campaigns:export_download", args=[export.pk]))

    assert response.status_code == 302


def test_list_query_count(client, django_assert_max_num_queries):
    today = dt.date.today()
    for offset in range(-30, 30, 3):
        CampaignFactory(
            starts_on=today + dt.timedelta(days=offset),
            ends_on=today + dt.timedelta(days=offset + 2),
            municipality=municipality(),
        )

    with django_assert_max_num_queries(6):
        client.get(reverse("campaigns:list"))


def test_gallery_query_count(client, django_assert_max_num_queries):
    campaign = CampaignFactory()
    for _ in range(10):
        participation = group_participation(campaign, UserFactory())
        PhotoFactory(participation=participation, status=Photo.Status.APPROVED)

    with django_assert_max_num_queries(6):
        client.get(reverse("campaigns:gallery", args=[campaign.pk]))


def test_staff_lists_query_count(client, staff, django_assert_max_num_queries):
    campaign = CampaignFactory()
    for _ in range(8):
        participation = group_participation(campaign, UserFactory())
        ActivityFactory(participation=participation)
        LoanFactory(participation=participation)
        PhotoFactory(participation=participation)
    client.force_login(staff)

    # Measured with 2 and with 12 participations: the counts do not grow.
    limits = {
        reverse("campaigns:participation_list", args=[campaign.pk]): 9,
        reverse("campaigns:staff_loans"): 9,
        reverse("campaigns:photo_review", args=[campaign.pk]): 10,
        reverse("campaigns:detail", args=[campaign.pk]): 11,
        reverse("campaigns:mine"): 4,
    }

    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_list_links_staff_pages_for_staff_only(client, resident, staff):
    new_url = reverse("campaigns:campaign_new")
    client.force_login(resident)
    assert new_url not in client.get(reverse("campaigns:list")).text

    client.force_login(staff)

    assert new_url in client.get(reverse("campaigns:list")).text


def test_list_in_japanese(japanese_client):
    CampaignFactory(title="秋の県民活動促進月間")

    response = japanese_client.get(reverse("campaigns:list"))

    assert '<html lang="ja">' in response.text
    assert "秋の県民活動促進月間" in response.text
    assert "ボランティアを探す" in response.text


def test_detail_in_japanese(japanese_client, own):
    japanese_client.force_login(own.user)

    response = japanese_client.get(
        reverse("campaigns:participation_detail", args=[own.pk])
    )

    assert response.status_code == 200
    assert '<html lang="ja">' in response.text
    assert "海岸清掃" in response.text


def test_staff_rejects_photo_with_reason(
    client, staff, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:photo_reject", args=[photo.pk]),
            {"reason": "顔が写っています"},
        )

    photo.refresh_from_db()
    assert response.status_code == 302
    assert photo.status == Photo.Status.REJECTED
    assert "顔が写っています" in mail.outbox[0].body
    page = client.get(response["Location"])
    assert "The photo was rejected, and the uploader was notified." in page.text


def test_loan_reject_without_reason_kept_on_page(client, staff):
    loan = LoanFactory()
    client.force_login(staff)

    response = client.post(
        reverse("campaigns:loan_reject", args=[loan.pk]), {"reason": ""}
    )

    loan.refresh_from_db()
    assert response.status_code == 200
    assert loan.status == Loan.Status.REQUESTED
