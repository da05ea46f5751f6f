"""Factories and helpers for proposals, interests and concierges."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from probono.permissions import CONCIERGE_GROUP
from tests.factories import ProbonoWorkerFactory, SupportRequestFactory, UserFactory


def make_concierge(email: str = "concierge@example.jp"):
    """Return a user with the concierge role who reads mail in English."""
    user = UserFactory(email=email, preferred_language="en")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


class ProposalFactory(factory.django.DjangoModelFactory):
    """A pending proposal with a week left to reply."""

    class Meta:
        model = "probono.Proposal"

    request = factory.SubFactory(SupportRequestFactory, state="proposed")
    worker = factory.SubFactory(ProbonoWorkerFactory)
    status = "pending"
    score = 50
    reply_by = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "probono.Interest"

    request = factory.SubFactory(SupportRequestFactory, state="searching")
    worker = factory.SubFactory(ProbonoWorkerFactory)
