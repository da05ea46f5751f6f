"""Mails about change requests go to the group's current staff."""

import pytest
from django.core import mail

from groups.models import GroupMembership
from groups.services.profile import decide_change_request, submit_change_request
from groups.tasks.registration import send_review_mail
from tests.factories import GroupMembershipFactory, UserFactory
from tests.groups.test_registration_flow import centre_staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(group):
    return GroupMembershipFactory(group=group, user__email="admin@example.jp").user


@pytest.fixture
def editor(group):
    return GroupMembershipFactory(
        group=group, user__email="editor@example.jp", role=GroupMembership.Role.EDITOR
    ).user


def request_name_change(group, by):
    return submit_change_request(
        group_id=group.pk, by=by, fields={"name": "やまぐち里山ネットワーク"}
    )


def approve(change_request, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review = decide_change_request(
            change_request_id=change_request.pk,
            by=centre_staff_of("35203"),
            action="approved",
        )
    return review


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_decision_mails_admins_and_requester(
    group, admin, editor, django_capture_on_commit_callbacks
):
    change_request = request_name_change(group, editor)

    approve(change_request, django_capture_on_commit_callbacks)

    assert recipients() == ["admin@example.jp", "editor@example.jp"]


def test_decision_skips_requester_who_left(
    group, admin, editor, django_capture_on_commit_callbacks
):
    change_request = request_name_change(group, editor)
    GroupMembership.objects.filter(user=editor).delete()

    approve(change_request, django_capture_on_commit_callbacks)

    assert recipients() == ["admin@example.jp"]


def test_decision_mail_sent_once_per_person(
    group, admin, editor, django_capture_on_commit_callbacks
):
    change_request = request_name_change(group, editor)
    review = approve(change_request, django_capture_on_commit_callbacks)

    assert send_review_mail(review.pk) == 0
    assert len(mail.outbox) == 2


def test_admin_requester_mailed_once(group, admin, django_capture_on_commit_callbacks):
    GroupMembershipFactory(group=group, user=UserFactory(email="other@example.jp"))
    change_request = request_name_change(group, admin)

    approve(change_request, django_capture_on_commit_callbacks)

    assert recipients() == ["admin@example.jp", "other@example.jp"]
