import pytest
from django.urls import reverse

from civic_portal.accounts.models import SentNotification
from groups.models import Consultation, SupportCentre, SupportCentreStaff
from groups.services import consultations as consultation_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def centre(code):
    return SupportCentre.objects.filter(municipality__code=code).order_by("pk").first()


@pytest.fixture
def ube():
    return centre("35202")


@pytest.fixture
def ube_staff(ube):
    user = UserFactory(email="ube-staff@example.jp")
    SupportCentreStaff.objects.create(centre=ube, user=user)
    return user


@pytest.fixture
def shimonoseki_staff():
    user = UserFactory(email="shimonoseki-staff@example.jp")
    SupportCentreStaff.objects.create(centre=centre("35201"), user=user)
    return user


@pytest.fixture
def question(ube, resident):
    return consultation_services.consultation_ask(
        asker=resident,
        centre=ube,
        topic=Consultation.Topic.FUNDING,
        question="助成金の申請書の書き方を教えてください。",
    )


def answer_data(**overrides):
    data = {
        "answer": "申請書の例をお送りします。窓口でも相談できます。",
        "follow_up": "来週電話で確認",
        "status": Consultation.Status.ANSWERED,
    }
    data.update(overrides)
    return data


def test_resident_asks_question(client, resident, ube):
    client.force_login(resident)

    response = client.post(
        reverse("groups:consultation_ask"),
        {"centre": ube.pk, "topic": "funding", "question": "助成金について"},
    )

    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.asker == resident
    assert consultation.channel == Consultation.Channel.PORTAL
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.group is None


def test_group_staff_asks_for_group(client, group, group_staff, ube):
    client.force_login(group_staff)

    client.post(
        reverse("groups:consultation_ask"),
        {"centre": ube.pk, "group": group.pk, "topic": "volunteers", "question": "?"},
    )

    assert Consultation.objects.get().group == group


def test_cannot_ask_for_other_group(client, resident, group, ube):
    client.force_login(resident)

    response = client.post(
        reverse("groups:consultation_ask"),
        {"centre": ube.pk, "group": group.pk, "topic": "other", "question": "?"},
    )

    assert response.status_code == 302
    assert Consultation.objects.get().group is None


def test_ask_requires_question(client, resident, ube):
    client.force_login(resident)

    response = client.post(
        reverse("groups:consultation_ask"),
        {"centre": ube.pk, "topic": "other", "question": ""},
    )

    assert response.status_code == 200
    assert "question" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_ask_needs_login(client):
    response = client.get(reverse("groups:consultation_ask"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_asker_sees_own_question(client, resident, question):
    client.force_login(resident)

    detail = client.get(reverse("groups:consultation_detail", args=[question.pk]))
    listing = client.get(reverse("groups:consultation_list"))

    assert detail.status_code == 200
    assert "助成金の申請書" in detail.content.decode()
    assert detail.context["form"] is None
    assert [c.pk for c in listing.context["page"]] == [question.pk]


def test_other_resident_gets_404(client, other_resident, question):
    client.force_login(other_resident)

    detail = client.get(reverse("groups:consultation_detail", args=[question.pk]))
    post = client.post(
        reverse("groups:consultation_detail", args=[question.pk]), answer_data()
    )
    listing = client.get(reverse("groups:consultation_list"))

    assert detail.status_code == 404
    assert post.status_code == 404
    assert list(listing.context["page"]) == []


def test_other_centre_staff_gets_404(client, shimonoseki_staff, question):
    client.force_login(shimonoseki_staff)

    detail = client.get(reverse("groups:consultation_detail", args=[question.pk]))
    post = client.post(
        reverse("groups:consultation_detail", args=[question.pk]), answer_data()
    )

    assert detail.status_code == 404
    assert post.status_code == 404
    question.refresh_from_db()
    assert question.answer == ""


def test_prefectural_staff_do_not_see_municipal_question(client, question):
    user = UserFactory()
    SupportCentreStaff.objects.create(
        centre=SupportCentre.objects.get(scope=SupportCentre.Scope.PREFECTURE),
        user=user,
    )
    client.force_login(user)

    response = client.get(reverse("groups:consultation_detail", args=[question.pk]))

    assert response.status_code == 404


def test_asker_cannot_answer(client, resident, question):
    client.force_login(resident)

    response = client.post(
        reverse("groups:consultation_detail", args=[question.pk]), answer_data()
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.answer == ""


def test_staff_answer_mails_asker(
    client,
    ube_staff,
    resident,
    question,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    resident.preferred_language = "en"
    resident.save()
    client.force_login(ube_staff)
    url = reverse("groups:consultation_detail", args=[question.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, answer_data())

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Consultation.Status.ANSWERED
    assert question.answered_by == ube_staff
    assert question.answered_at is not None
    assert [m.to for m in mailoutbox] == [[resident.email]]
    assert "has answered your question" in mailoutbox[0].subject
    assert url in mailoutbox[0].body
    assert "申請書の例" not in mailoutbox[0].body


def test_follow_up_sends_no_second_mail(
    client, ube_staff, question, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(ube_staff)
    url = reverse("groups:consultation_detail", args=[question.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, answer_data())
        client.post(url, answer_data(follow_up="電話で確認済み", status="closed"))

    question.refresh_from_db()
    assert question.status == Consultation.Status.CLOSED
    assert question.follow_up == "電話で確認済み"
    assert len(mailoutbox) == 1
    assert SentNotification.objects.filter(
        key=f"groups.consultation.answered:{question.pk}"
    ).exists()


def test_closing_without_answer_rejected(client, ube_staff, question):
    client.force_login(ube_staff)

    response = client.post(
        reverse("groups:consultation_detail", args=[question.pk]),
        answer_data(answer="", status="closed"),
    )

    assert response.status_code == 200
    assert "answer" in response.context["form"].errors


def test_asker_sees_answer(client, ube_staff, resident, question):
    consultation_services.consultation_answer(
        consultation=question,
        answered_by=ube_staff,
        answer="窓口へお越しください。",
        follow_up="",
        status="answered",
    )
    client.force_login(resident)

    response = client.get(reverse("groups:consultation_detail", args=[question.pk]))

    assert "窓口へお越しください。" in response.content.decode()


def test_staff_record_phone_consultation(client, ube_staff, ube):
    client.force_login(ube_staff)

    response = client.post(
        reverse("groups:consultation_record"),
        {
            "centre": ube.pk,
            "channel": "phone",
            "asker_name": "山口 花子",
            "topic": "founding",
            "question": "NPO法人の設立手続き",
            "answer": "設立の手引きを説明した",
            "follow_up": "",
        },
    )

    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.asker is None
    assert consultation.recorded_by == ube_staff
    assert consultation.status == Consultation.Status.ANSWERED
    assert consultation.answered_by == ube_staff


def test_staff_cannot_record_for_other_centre(client, ube_staff):
    client.force_login(ube_staff)

    response = client.post(
        reverse("groups:consultation_record"),
        {
            "centre": centre("35201").pk,
            "channel": "desk",
            "topic": "other",
            "question": "?",
        },
    )

    assert response.status_code == 200
    assert "centre" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_portal_channel_not_offered_to_staff(client, ube_staff, ube):
    client.force_login(ube_staff)

    response = client.post(
        reverse("groups:consultation_record"),
        {"centre": ube.pk, "channel": "portal", "topic": "other", "question": "?"},
    )

    assert "channel" in response.context["form"].errors


def test_resident_cannot_record(client, resident):
    client.force_login(resident)

    assert client.get(reverse("groups:consultation_record")).status_code == 403


def test_staff_list_shows_centre_questions_only(
    client, ube_staff, question, shimonoseki_staff
):
    consultation_services.consultation_ask(
        asker=UserFactory(),
        centre=centre("35201"),
        topic="other",
        question="下関への質問",
    )
    client.force_login(ube_staff)

    response = client.get(reverse("groups:consultation_list"))

    assert [c.pk for c in response.context["page"]] == [question.pk]


@pytest.mark.parametrize("count", [1, 40])
def test_list_bounded_queries(
    client, ube, ube_staff, django_assert_max_num_queries, count
):
    for _number in range(count):
        consultation_services.consultation_ask(
            asker=UserFactory(), centre=ube, topic="other", question="?"
        )
    client.force_login(ube_staff)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("groups:consultation_list"))

    assert response.status_code == 200
