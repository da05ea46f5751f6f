import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from facilitation.models import HistoricalRecognitionTotal, RecognitionKind
from tests.facilitation.factories import PartnerFactory, RecognitionFactory
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db


def test_both_recipients_rejected():
    recognition = RecognitionFactory.build(
        group=CivicGroupFactory(), partner=PartnerFactory()
    )

    with pytest.raises(ValidationError) as raised:
        recognition.full_clean()

    assert "either a civic group or a partner" in str(raised.value)


def test_no_recipient_rejected():
    recognition = RecognitionFactory.build(group=None)

    with pytest.raises(ValidationError) as raised:
        recognition.full_clean()

    assert "either a civic group or a partner" in str(raised.value)


def test_both_recipients_rejected_by_database():
    with pytest.raises(IntegrityError):
        RecognitionFactory(partner=PartnerFactory())


def test_partner_recipient_allowed():
    recognition = RecognitionFactory(
        group=None,
        partner=PartnerFactory(name="周南化学株式会社"),
        kind=RecognitionKind.MODEL_BUSINESS_SITE,
    )

    recognition.full_clean()
    assert recognition.recipient_name == "周南化学株式会社"


def test_designation_outside_fiscal_year_rejected():
    recognition = RecognitionFactory(designated_on=dt.date(2027, 4, 1))

    with pytest.raises(ValidationError) as raised:
        recognition.full_clean()

    assert "designated_on" in raised.value.message_dict


def test_historical_totals_recorded_with_source():
    totals = {total.kind: total for total in HistoricalRecognitionTotal.objects.all()}

    assert totals[RecognitionKind.AWARD].count == 115
    assert totals[RecognitionKind.AWARD].first_fiscal_year == 2000
    assert totals[RecognitionKind.AWARD].last_fiscal_year == 2022
    assert totals[RecognitionKind.MODEL_BUSINESS_SITE].count == 95
    assert totals[RecognitionKind.MODEL_BUSINESS_SITE].first_fiscal_year == 1996
    assert totals[RecognitionKind.MODEL_BUSINESS_SITE].last_fiscal_year == 2022
    assert all(total.source for total in totals.values())
