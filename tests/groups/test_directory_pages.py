import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import ActivityField, CivicGroup, Municipality
from tests.factories import (
    CivicGroupFactory,
    EventFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    centre_staff,
)
from volunteering.models import PostReport, VolunteerPost

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("groups:directory")

PRIVATE_CONTACT = {
    "contact_name": "秘密 連絡子",
    "contact_email": "private-contact@example.jp",
    "contact_phone": "083-999-0000",
}


def names_on_page(response) -> set[str]:
    return {group.name for group, _disclosure in response.context["rows"]}


def directory(client, **params):
    return client.get(DIRECTORY_URL, params)


# Directory list


def test_directory_lists_public_groups_only(client):
    CivicGroupFactory(name="公開の会")
    CivicGroupFactory(name="審査中の会", review_status=CivicGroup.ReviewStatus.PENDING)
    CivicGroupFactory(name="却下の会", review_status=CivicGroup.ReviewStatus.REJECTED)
    CivicGroupFactory(name="解散した会", status=CivicGroup.Status.DISSOLVED)

    response = directory(client)

    assert response.status_code == 200
    assert names_on_page(response) == {"公開の会"}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ボランティア", True),
        ("ぼらんてぃあ", True),  # hiragana finds katakana
        ("ﾎﾞﾗﾝﾃｨｱ", True),  # half-width katakana
        ("ＮＰＯ", True),  # full-width letters
        ("npo", True),
        ("子ども", True),  # two-character words
        ("里山", True),
        ("里山 子ども", True),  # every term must match
        ("里山 環境", False),
        ("福祉", False),
    ],
)
def test_directory_keyword_normalisation(client, query, found):
    CivicGroupFactory(
        name="NPOボランティア里山",
        description="子ども食堂を開いています。",
    )

    response = directory(client, q=query)

    assert (names_on_page(response) == {"NPOボランティア里山"}) is found


def test_directory_filters_by_municipality_and_field(client):
    shimonoseki = Municipality.objects.get(code="35201")
    yamaguchi = Municipality.objects.get(code="35203")
    welfare = ActivityField.objects.get(number=2)
    environment = ActivityField.objects.get(number=7)
    a = CivicGroupFactory(name="下関の福祉", municipality=shimonoseki)
    a.activity_fields.set([welfare])
    b = CivicGroupFactory(name="山口の環境", municipality=yamaguchi)
    b.activity_fields.set([environment, welfare])

    assert names_on_page(directory(client, municipality="35201")) == {"下関の福祉"}
    assert names_on_page(directory(client, field="7")) == {"山口の環境"}
    assert names_on_page(directory(client, field="2")) == {"下関の福祉", "山口の環境"}
    both = directory(client, field="2", municipality="35203")
    assert names_on_page(both) == {"山口の環境"}


def test_directory_filters_by_legal_form(client):
    CivicGroupFactory(name="法人", legal_form=CivicGroup.LegalForm.NPO)
    CivicGroupFactory(name="任意団体", legal_form=CivicGroup.LegalForm.VOLUNTARY)

    response = directory(client, legal_form="voluntary")

    assert names_on_page(response) == {"任意団体"}


def test_directory_filters_pro_bono(client):
    CivicGroupFactory(name="支援希望", wants_probono=True)
    CivicGroupFactory(name="希望なし", wants_probono=False)

    assert names_on_page(directory(client, probono="on")) == {"支援希望"}
    # An unticked box means no restriction.
    assert names_on_page(directory(client)) == {"支援希望", "希望なし"}


def test_directory_filters_recruiting(client):
    with_session = CivicGroupFactory(name="日程あり")
    VolunteerSessionFactory(post__group=with_session)
    year_round = CivicGroupFactory(name="通年")
    VolunteerPostFactory(group=year_round, kind=VolunteerPost.Kind.YEAR_ROUND)
    past_only = CivicGroupFactory(name="終了済み")
    VolunteerSessionFactory(
        post__group=past_only,
        starts_at=timezone.now() - dt.timedelta(days=3),
    )
    draft = CivicGroupFactory(name="下書きのみ")
    VolunteerSessionFactory(post__group=draft, post__status=VolunteerPost.Status.DRAFT)
    deadline_passed = CivicGroupFactory(name="締切済み")
    VolunteerSessionFactory(
        post__group=deadline_passed,
        post__application_deadline=timezone.now() - dt.timedelta(hours=1),
    )
    CivicGroupFactory(name="投稿なし")

    response = directory(client, recruiting="on")

    assert names_on_page(response) == {"日程あり", "通年"}
    recruiting = {
        g.name: g.is_recruiting for g, _d in directory(client).context["rows"]
    }
    assert recruiting["日程あり"] is True
    assert recruiting["締切済み"] is False


def test_directory_keeps_filters_in_pagination_links(client):
    for number in range(21):
        CivicGroupFactory(name=f"会{number:02}", wants_probono=True)

    response = directory(client, probono="on")

    assert response.context["page"].paginator.num_pages == 2
    assert "probono=on&amp;page=2" in response.content.decode()


def test_directory_export_links_carry_filters(client):
    CivicGroupFactory(wants_probono=True)

    response = directory(client, probono="on", page="1")

    expected = reverse("groups:directory_export", args=["csv"]) + "?probono=on"
    assert expected in response.content.decode()


def test_directory_rejects_invalid_filter(client):
    CivicGroupFactory()

    response = directory(client, municipality="99999")

    assert response.status_code == 400
    assert response.context["page"] is None
    assert "Some filters are not valid" in response.content.decode()


def test_directory_second_page(client):
    for number in range(25):
        CivicGroupFactory(name=f"会{number:02}", name_kana=f"かい{number:02}")

    response = directory(client, page="2")

    assert [g.name for g, _d in response.context["rows"]] == [
        f"会{number:02}" for number in range(20, 25)
    ]


def test_directory_in_japanese(japanese_client):
    CivicGroupFactory(name="公開の会")

    response = japanese_client.get(DIRECTORY_URL)

    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_directory_queries_bounded(client, django_assert_max_num_queries, count):
    fields = list(ActivityField.objects.all()[:3])
    for _ in range(count):
        group = CivicGroupFactory()
        group.activity_fields.set(fields)
        VolunteerSessionFactory(post__group=group)

    with django_assert_max_num_queries(6):
        response = directory(client, recruiting="on", q="里山")

    assert len(response.context["rows"]) == min(count, 20)


# Group page


def test_detail_shows_public_profile(client):
    group = CivicGroupFactory(
        name="やまぐち子ども食堂ネット",
        description="地域の子ども食堂をつなぎます。",
        public_email="info@kodomo.example.jp",
        website="https://kodomo.example.jp/",
        social_links=["https://x.example/kodomo", "javascript:alert(1)"],
        **PRIVATE_CONTACT,
    )

    response = client.get(reverse("groups:detail", args=[group.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "やまぐち子ども食堂ネット" in content
    assert "info@kodomo.example.jp" in content
    assert "https://x.example/kodomo" in content
    assert "javascript:" not in content


@pytest.mark.parametrize(
    "viewer", ["anonymous", "resident", "other_group_staff", "own_group_staff"]
)
def test_detail_never_shows_private_contact(client, viewer):
    group = CivicGroupFactory(**PRIVATE_CONTACT)
    if viewer == "resident":
        client.force_login(UserFactory())
    elif viewer == "other_group_staff":
        client.force_login(GroupMembershipFactory().user)
    elif viewer == "own_group_staff":
        client.force_login(GroupMembershipFactory(group=group).user)

    content = client.get(reverse("groups:detail", args=[group.pk])).content.decode()

    for value in PRIVATE_CONTACT.values():
        assert value not in content


@pytest.mark.parametrize(
    "changes",
    [
        {"review_status": CivicGroup.ReviewStatus.PENDING},
        {"review_status": CivicGroup.ReviewStatus.CHANGES_REQUESTED},
        {"review_status": CivicGroup.ReviewStatus.REJECTED},
        {"status": CivicGroup.Status.DISSOLVED},
    ],
)
def test_detail_404_for_groups_not_public(client, changes):
    group = CivicGroupFactory(**changes)

    response = client.get(reverse("groups:detail", args=[group.pk]))

    assert response.status_code == 404


def test_detail_404_for_unknown_group(client):
    assert client.get(reverse("groups:detail", args=[999999])).status_code == 404


def test_detail_lists_posts_events_and_reports(client):
    group = CivicGroupFactory()
    session = VolunteerSessionFactory(post__group=group, post__title="竹林整備")
    VolunteerPostFactory(
        group=group, title="下書きの募集", status=VolunteerPost.Status.DRAFT
    )
    EventFactory(group=group, title="春まつり")
    EventFactory(group=group, title="下書きの催し", status="draft")
    EventFactory(
        group=group,
        title="終わった催し",
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2, hours=-1),
    )
    closed = VolunteerPostFactory(group=group, status=VolunteerPost.Status.CLOSED)
    PostReport.objects.create(post=session.post, title="間伐しました", body="報告")
    PostReport.objects.create(post=closed, title="終了後の報告", body="報告")
    draft = VolunteerPostFactory(group=group, status=VolunteerPost.Status.DRAFT)
    PostReport.objects.create(post=draft, title="下書きの報告", body="報告")

    content = client.get(reverse("groups:detail", args=[group.pk])).content.decode()

    assert "竹林整備" in content
    assert "下書きの募集" not in content
    assert "春まつり" in content
    assert "下書きの催し" not in content
    assert "終わった催し" not in content
    assert "間伐しました" in content
    assert "終了後の報告" in content
    assert "下書きの報告" not in content


def test_detail_shows_last_confirmed_date(client):
    confirmed = dt.datetime(2026, 5, 10, 3, 0, tzinfo=dt.UTC)
    group = CivicGroupFactory(info_confirmed_at=confirmed)

    content = client.get(reverse("groups:detail", args=[group.pk])).content.decode()

    assert "2026-05-10" in content
    assert "Unconfirmed:" not in content


def test_detail_marks_unconfirmed_group(client):
    long_ago = timezone.now() - dt.timedelta(days=600)
    group = CivicGroupFactory(approved_at=long_ago, info_confirmed_at=None)

    content = client.get(reverse("groups:detail", args=[group.pk])).content.decode()

    assert "Unconfirmed:" in content


def test_detail_lists_missing_items_to_staff_only(client):
    group = CivicGroupFactory(representative="")
    url = reverse("groups:detail", args=[group.pk])

    public_content = client.get(url).content.decode()
    client.force_login(GroupMembershipFactory(group=group).user)
    staff_content = client.get(url).content.decode()

    assert "Disclosure level" in public_content
    assert "Items missing from the public profile" not in public_content
    assert "Items missing from the public profile" in staff_content
    assert "Representative</li>" in staff_content


def test_detail_lists_missing_items_to_centre_staff(client):
    group = CivicGroupFactory(representative="")
    client.force_login(centre_staff(UserFactory()))

    content = client.get(reverse("groups:detail", args=[group.pk])).content.decode()

    assert "Items missing from the public profile" in content


def test_detail_confirm_button_for_own_staff_only(client):
    group = CivicGroupFactory()
    url = reverse("groups:detail", args=[group.pk])
    confirm_url = reverse("groups:confirm_information", args=[group.pk])

    client.force_login(GroupMembershipFactory().user)
    assert confirm_url not in client.get(url).content.decode()
    client.force_login(GroupMembershipFactory(group=group).user)
    assert confirm_url in client.get(url).content.decode()


def test_detail_queries_bounded(client, django_assert_max_num_queries):
    group = CivicGroupFactory()
    group.activity_fields.set(ActivityField.objects.all()[:3])
    for _ in range(5):
        session = VolunteerSessionFactory(post__group=group)
        PostReport.objects.create(post=session.post, title="報告", body="本文")
        EventFactory(group=group)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("groups:detail", args=[group.pk]))

    assert len(response.context["activity"].posts) == 5


def test_directory_staff_export_link_for_centre_staff_only(client):
    CivicGroupFactory()
    staff_link = reverse("groups:centre_directory_export", args=["csv"])

    client.force_login(GroupMembershipFactory().user)
    assert staff_link not in directory(client).content.decode()
    client.force_login(centre_staff(UserFactory()))
    assert staff_link in directory(client).content.decode()
