"""Consultations: status wording, the internal follow-up and staff alerts."""

import pytest
from django.utils import translation

from groups.models import Consultation
from volunteering.models import VolunteerPost


def test_closed_status_not_post_wording():
    with translation.override("ja"):
        consultation_closed = str(Consultation.Status.CLOSED.label)
        post_closed = str(VolunteerPost.Status.CLOSED.label)

    assert consultation_closed != post_closed


@pytest.mark.parametrize("status", Consultation.Status)
def test_status_label_english(status):
    assert str(status.label) in {"Open", "Answered", "Closed"}
