import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Loan
from campaigns.services import loans
from tests.campaigns.factories import LoanFactory, LoanItemFactory, ParticipationFactory
from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db

Status = Loan.Status


@pytest.fixture
def staff():
    return centre_staff(UserFactory(email="centre@example.jp"))


@pytest.fixture
def participation(resident):
    return ParticipationFactory(user=resident)


def day(participation, offset):
    return participation.campaign.starts_on + dt.timedelta(days=offset)


def request(participation, item, first, last, quantity=1):
    return loans.request_loan(
        participation,
        participation.user,
        item=item,
        quantity=quantity,
        starts_on=day(participation, first),
        ends_on=day(participation, last),
    )


def test_request_within_quantity(participation):
    item = LoanItemFactory(quantity=3)

    loan = request(participation, item, 0, 2, quantity=3)

    assert loan.status == Status.REQUESTED


def test_overlapping_requests_cannot_exceed_quantity(participation):
    item = LoanItemFactory(quantity=3)
    request(participation, item, 0, 4, quantity=2)

    with pytest.raises(ValidationError, match="Only 1 of"):
        request(participation, item, 3, 6, quantity=2)


def test_back_to_back_loans_share_units(participation):
    item = LoanItemFactory(quantity=2)
    request(participation, item, 0, 2, quantity=2)

    loan = request(participation, item, 3, 5, quantity=2)

    assert loan.quantity == 2


def test_availability_counts_peak_day_not_sum(participation):
    item = LoanItemFactory(quantity=2)
    request(participation, item, 0, 1, quantity=1)
    request(participation, item, 3, 4, quantity=1)

    free = loans.available_quantity(item, day(participation, 0), day(participation, 4))

    assert free == 1


def test_rejected_and_returned_loans_free_units(participation, staff):
    item = LoanItemFactory(quantity=1)
    rejected = request(participation, item, 0, 2)
    loans.reject_loan(rejected, staff, reason="在庫点検中のため")
    returned = request(participation, item, 0, 2)
    loans.approve_loan(returned, staff)
    loans.mark_lent(returned, staff)
    loans.mark_returned(returned, staff)

    loan = request(participation, item, 0, 2)

    assert loan.status == Status.REQUESTED


def test_overdue_loan_keeps_holding_units(participation):
    item = LoanItemFactory(quantity=1)
    LoanFactory(
        item=item,
        participation=participation,
        starts_on=day(participation, 0),
        ends_on=day(participation, 1),
        status=Status.LENT,
    )
    today = day(participation, 5)

    free = loans.available_quantity(
        item, day(participation, 4), day(participation, 6), today=today
    )

    assert free == 0
    assert Loan.objects.overdue(today).count() == 1


def test_request_outside_period_rejected(participation):
    item = LoanItemFactory()

    with pytest.raises(ValidationError) as error:
        request(participation, item, -1, 0)

    assert "starts_on" in error.value.error_dict


def test_request_reversed_dates_rejected(participation):
    with pytest.raises(ValidationError) as error:
        request(participation, LoanItemFactory(), 2, 1)

    assert "ends_on" in error.value.error_dict


def test_inactive_item_rejected(participation):
    with pytest.raises(ValidationError, match="cannot be borrowed"):
        request(participation, LoanItemFactory(is_active=False), 0, 0)


def test_other_resident_cannot_request(participation, other_resident):
    with pytest.raises(PermissionDenied):
        loans.request_loan(
            participation,
            other_resident,
            item=LoanItemFactory(),
            quantity=1,
            starts_on=day(participation, 0),
            ends_on=day(participation, 0),
        )


def test_resident_cannot_approve(participation):
    loan = request(participation, LoanItemFactory(), 0, 0)

    with pytest.raises(PermissionDenied):
        loans.approve_loan(loan, participation.user)


def test_lend_needs_approval_first(participation, staff):
    loan = request(participation, LoanItemFactory(), 0, 0)

    with pytest.raises(ValidationError, match="cannot be changed"):
        loans.mark_lent(loan, staff)


def test_reject_needs_reason(participation, staff):
    loan = request(participation, LoanItemFactory(), 0, 0)

    with pytest.raises(ValidationError):
        loans.reject_loan(loan, staff, reason="  ")


def test_approval_mails_requester_once(
    participation, staff, django_capture_on_commit_callbacks
):
    loan = request(participation, LoanItemFactory(), 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        loans.approve_loan(loan, staff)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [participation.user.email]
    from campaigns.tasks import send_loan_decision

    assert send_loan_decision(loan.pk) == 0
    assert len(mail.outbox) == 1


def test_rejection_mail_gives_reason(
    participation, staff, django_capture_on_commit_callbacks
):
    loan = request(participation, LoanItemFactory(), 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        loans.reject_loan(loan, staff, reason="在庫点検中のため")

    assert "在庫点検中のため" in mail.outbox[0].body


def test_japanese_resident_gets_japanese_mail(
    participation, staff, django_capture_on_commit_callbacks
):
    participation.user.preferred_language = "ja"
    participation.user.save()
    loan = request(participation, LoanItemFactory(), 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        loans.approve_loan(loan, staff)

    assert participation.campaign.title in mail.outbox[0].subject


def test_item_quantity_cannot_drop_below_booked(participation, staff):
    item = LoanItemFactory(quantity=5)
    # The campaign started 10 days ago, so these days lie ahead.
    request(participation, item, 12, 14, quantity=3)
    item.quantity = 2

    with pytest.raises(ValidationError, match="3 are booked"):
        loans.save_loan_item(item, staff)

    item.refresh_from_db()
    assert item.quantity == 5


def test_item_quantity_may_drop_to_booked(participation, staff):
    item = LoanItemFactory(quantity=5)
    request(participation, item, 12, 14, quantity=3)
    item.quantity = 3

    loans.save_loan_item(item, staff)

    item.refresh_from_db()
    assert item.quantity == 3


def test_item_quantity_ignores_past_loans(participation, staff):
    item = LoanItemFactory(quantity=5)
    request(participation, item, 0, 2, quantity=3)
    item.quantity = 1

    loans.save_loan_item(item, staff)

    item.refresh_from_db()
    assert item.quantity == 1


def test_resident_cannot_save_item(participation):
    with pytest.raises(PermissionDenied):
        loans.save_loan_item(LoanItemFactory.build(), participation.user)


def test_cancel_by_participant(participation):
    loan = request(participation, LoanItemFactory(), 0, 0)

    loans.cancel_loan(loan, participation.user)

    loan.refresh_from_db()
    assert loan.status == Status.CANCELLED
