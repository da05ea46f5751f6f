import pytest
from django.core import mail
from django.urls import reverse

from probono.models import Skill
from probono.services.requests import file_request
from probono.tasks import send_request_filed
from tests.factories import GroupMembershipFactory, UserFactory
from tests.probono.factories_proposals import make_concierge

pytestmark = pytest.mark.django_db


def file_for(group, user):
    return file_request(
        user=user,
        group=group,
        skills=[Skill.objects.get(key="accounting")],
        title="Bookkeeping help",
        description="Our accounts are on paper.",
        outcome="Accounts in a cloud service.",
        contact_name="Hanako Yamaguchi",
        contact_email="hanako@example.jp",
    )


def test_filing_mails_concierges_and_filer(group, django_capture_on_commit_callbacks):
    first = make_concierge("first@example.jp")
    second = make_concierge("second@example.jp")
    UserFactory(email="resident@example.jp")
    staff = GroupMembershipFactory(
        group=group, user__email="staff@example.jp", user__preferred_language="en"
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        request = file_for(group, staff)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([first.email, second.email, staff.email])
    concierge_mail = by_address[first.email]
    assert concierge_mail.subject == 'New support request: "Bookkeeping help"'
    assert reverse("probono:request_detail", args=[request.pk]) in concierge_mail.body
    assert by_address[staff.email].subject == (
        'Received: support request "Bookkeeping help"'
    )


def test_filing_mail_sent_once(group):
    make_concierge()
    staff = GroupMembershipFactory(group=group).user
    request = file_for(group, staff)

    assert send_request_filed(request.pk) == 2
    assert send_request_filed(request.pk) == 0
    assert len(mail.outbox) == 2
