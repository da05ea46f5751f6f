"""Consultations: status wording, the internal follow-up and staff alerts."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from groups.models import Consultation, SupportCentre, SupportCentreStaff
from groups.services import consultations as consultation_services
from groups.tasks.consultations import send_consultation_asked
from tests.factories import UserFactory
from volunteering.models import VolunteerPost


def test_closed_status_not_post_wording():
    with translation.override("ja"):
        consultation_closed = str(Consultation.Status.CLOSED.label)
        post_closed = str(VolunteerPost.Status.CLOSED.label)

    assert consultation_closed != post_closed


@pytest.mark.parametrize("status", Consultation.Status)
def test_status_label_english(status):
    assert str(status.label) in {"Open", "Answered", "Closed"}


# Follow-up notes stay internal


@pytest.fixture
def ube():
    return SupportCentre.objects.filter(municipality__code="35202").order_by("pk")[0]


@pytest.fixture
def ube_staff(ube):
    user = UserFactory(email="ube-staff@example.jp")
    SupportCentreStaff.objects.create(centre=ube, user=user)
    return user


@pytest.fixture
def answered(ube, ube_staff, resident):
    consultation = consultation_services.consultation_ask(
        asker=resident,
        centre=ube,
        topic=Consultation.Topic.FUNDING,
        question="助成金の申請書の書き方を教えてください。",
    )
    return consultation_services.consultation_answer(
        consultation=consultation,
        answered_by=ube_staff,
        answer="申請書の例をお送りします。",
        follow_up="来週電話で確認する（内部メモ）",
        status=Consultation.Status.ANSWERED,
    )


@pytest.mark.django_db
def test_asker_sees_answer_not_follow_up(client, resident, answered):
    client.force_login(resident)

    page = client.get(reverse("groups:consultation_detail", args=[answered.pk]))

    html = page.content.decode()
    assert "申請書の例をお送りします。" in html
    assert "内部メモ" not in html


@pytest.mark.django_db
def test_staff_form_labels_follow_up_internal(client, ube_staff, answered):
    client.force_login(ube_staff)

    page = client.get(reverse("groups:consultation_detail", args=[answered.pk]))

    html = page.content.decode()
    assert "内部メモ" in html
    assert "Internal follow-up note" in html
    assert "The person who asked never sees it." in html


# Staff get a mail about new questions


@pytest.mark.django_db
def test_question_mails_centre_staff(
    client, resident, ube, ube_staff, django_capture_on_commit_callbacks
):
    other_centre_staff = UserFactory(email="hagi-staff@example.jp")
    SupportCentreStaff.objects.create(
        centre=SupportCentre.objects.filter(municipality__code="35204")[0],
        user=other_centre_staff,
    )
    client.force_login(resident)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:consultation_ask"),
            {"centre": ube.pk, "topic": "funding", "question": "助成金の秘密の相談"},
        )

    assert [message.to for message in mail.outbox] == [["ube-staff@example.jp"]]
    message = mail.outbox[0]
    consultation = Consultation.objects.get()
    assert f"/consultations/{consultation.pk}/" in message.body
    assert "助成金の秘密の相談" not in message.body


@pytest.mark.django_db
def test_question_mail_sent_once(resident, ube, ube_staff):
    UserFactory(email="inactive@example.jp", is_active=False)
    consultation = consultation_services.consultation_ask(
        asker=resident, centre=ube, topic=Consultation.Topic.OTHER, question="?"
    )

    first = send_consultation_asked(consultation.pk)
    retried = send_consultation_asked(consultation.pk)

    assert first == 1
    assert retried == 0
    assert [message.to for message in mail.outbox] == [["ube-staff@example.jp"]]
