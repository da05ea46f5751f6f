"""Consent and publication under concurrent requests, on PostgreSQL.

Each thread has its own database connection. The case study row lock must
keep a case study from being published while a consent is withdrawn at
the same moment, and must let one of several identical consents through.
"""

import pytest
from django.core.exceptions import ValidationError

from probono.models import CaseStudy, CaseStudyConsent
from probono.services import case_studies as services
from tests.concurrency import run_together
from tests.factories import GroupMembershipFactory
from tests.probono.factories_case_studies import (
    CaseStudyFactory,
    concierge_user,
    team_member,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 5


def test_publish_and_withdraw_at_once():
    concierge = concierge_user()
    for _round in range(ROUNDS):
        case_study = CaseStudyFactory()
        staff = GroupMembershipFactory(group=case_study.request.group).user
        worker = team_member(case_study.request)
        services.give_consent(case_study, staff)
        services.give_consent(case_study, worker.user, worker)

        _results, errors = run_together(
            [
                lambda cs=case_study: services.publish(cs, concierge),
                lambda cs=case_study, w=worker: services.withdraw_consent(
                    cs, w.user, w
                ),
            ]
        )

        case_study.refresh_from_db()
        withdrawn = CaseStudyConsent.objects.get(worker=worker).withdrawn_at
        assert withdrawn is not None
        assert case_study.published_at is None
        assert all(isinstance(error, ValidationError) for error in errors)


def test_same_consent_twice_at_once():
    case_study = CaseStudyFactory()
    staff = GroupMembershipFactory(group=case_study.request.group).user

    _results, errors = run_together(
        [lambda: services.give_consent(case_study, staff) for _ in range(4)]
    )

    assert len(errors) == 3
    assert all(error.code == "already_given" for error in errors)
    assert CaseStudyConsent.objects.filter(case_study=case_study).count() == 1
    assert not CaseStudy.objects.published().exists()
