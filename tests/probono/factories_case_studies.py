"""Factories and helpers for case studies, team members, work logs and history."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from probono.models import Proposal, RequestEvent, Skill
from probono.permissions import CONCIERGE_GROUP
from tests.factories import ProbonoWorkerFactory, SupportRequestFactory, UserFactory


def concierge_user(email: str = "concierge@example.jp"):
    """Return a user with the concierge role who reads mail in English."""
    user = UserFactory(email=email, preferred_language="en")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


def closed_request(**fields):
    """Return a support request in the closed state."""
    return SupportRequestFactory(state="closed", **fields)


def team_member(request, **worker_fields):
    """Return a new worker with an accepted proposal on *request*."""
    worker_fields.setdefault("user__preferred_language", "en")
    worker = ProbonoWorkerFactory(**worker_fields)
    Proposal.objects.create(
        request=request,
        worker=worker,
        status=Proposal.Status.ACCEPTED,
        reply_by=timezone.now() + dt.timedelta(days=7),
        replied_at=timezone.now(),
    )
    return worker


class CaseStudyFactory(factory.django.DjangoModelFactory):
    """A draft case study of a closed request, with the web skill."""

    class Meta:
        model = "probono.CaseStudy"
        skip_postgeneration_save = True

    request = factory.SubFactory(SupportRequestFactory, state="closed")
    title = factory.Sequence(lambda n: f"ホームページを作り直した事例{n}")
    challenge = "会の活動が伝わらない。"
    work_done = "スマートフォン向けのホームページを作った。"
    result = "問い合わせが増えた。"

    @factory.post_generation
    def skill_keys(self, create, extracted, **kwargs):
        if not create:
            return
        self.skills.set(Skill.objects.filter(key__in=extracted or ["it_web"]))


class WorkLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "probono.WorkLog"

    request = factory.SubFactory(SupportRequestFactory, state="in_progress")
    worker = factory.SubFactory(ProbonoWorkerFactory)
    skill = factory.LazyFunction(lambda: Skill.objects.get(key="it_web"))
    hours = 1
    worked_on = dt.date(2025, 6, 1)


def history(request, steps):
    """Write *request*'s history: (from_state, to_state, aware datetime) steps.

    The request's own state is set to the last step's target.
    """
    events = []
    for from_state, to_state, moment in steps:
        event = RequestEvent.objects.create(
            request=request, from_state=from_state, to_state=to_state
        )
        RequestEvent.objects.filter(pk=event.pk).update(created_at=moment)
        events.append(event)
    type(request).objects.filter(pk=request.pk).update(state=steps[-1][1])
    return events
