"""Tests for the demo events, grant notices and newsletter rows."""

import pytest

from groups.demo_events import load_events_demo
from groups.models import Event, GrantNotice, NewsletterIssue, NewsletterSubscription
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db

MODELS = (Event, GrantNotice, NewsletterSubscription, NewsletterIssue)


@pytest.fixture
def loaded():
    CivicGroupFactory.create_batch(40)
    lines: list[str] = []
    counts = load_events_demo(seed=7, report=lines.append)
    return counts, lines


def test_demo_creates_every_part(loaded):
    counts, lines = loaded

    assert counts["events"] == Event.objects.count() > 0
    assert counts["grant notices"] == GrantNotice.objects.count() == 6
    assert counts["newsletter subscriptions"] > 30
    assert NewsletterIssue.objects.filter(status="sent").count() == 1
    assert NewsletterIssue.objects.filter(status="draft").count() == 1
    assert any(line.startswith("  events:") for line in lines)


def test_demo_events_searchable_and_announced_before_start(loaded):
    for event in Event.objects.all():
        assert event.search_text
        assert event.created_at < event.starts_at
        assert event.activity_fields.count() == 1


def test_demo_second_run_creates_nothing(loaded):
    before = {model: model.objects.count() for model in MODELS}

    counts = load_events_demo(seed=7, report=lambda line: None)

    assert {model: model.objects.count() for model in MODELS} == before
    assert set(counts.values()) == {0}
