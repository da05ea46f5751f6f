"""API lists show a row only to the roles that may read it.

Every signed-in user may open these lists, so the permission matrix sees
200 for each role and cannot tell a list that leaks a row from one that
filters it. Here each list is read as every role and the world's target
row must appear for exactly the roles in the table. Where the target has
a GET rule in API_RULES, the table must name the same roles, so a list
and its detail endpoint cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from civic_portal.security.permissions.api_rules import API_RULES
from civic_portal.security.permissions.rules import NOBODY, Role, roles
from tests.security.permission_world import World, build_world


@dataclass(frozen=True)
class ListRows:
    """A list endpoint, the world target whose row it may show, and to whom."""

    name: str
    target: str
    shown_to: frozenset[Role]
    # False where the list is narrower than the detail on purpose.
    matches_detail: bool = True


LISTS = [
    ListRows("my-application-list", "application", roles(Role.RESIDENT)),
    ListRows(
        "probono-request-list",
        "support_request",
        roles(Role.GROUP_STAFF, Role.CONCIERGE),
    ),
    ListRows(
        "probono-proposal-list",
        "proposal",
        roles(Role.PRO_BONO_WORKER, Role.CONCIERGE),
    ),
    # Interests have no GET detail: concierges list every interest and
    # only the worker deletes their own.
    ListRows(
        "probono-interest-list",
        "api_interest",
        roles(Role.PRO_BONO_WORKER, Role.CONCIERGE),
    ),
    ListRows("probono-case-study-list", "case_study", roles(Role.CONCIERGE)),
    ListRows(
        "facilitation-case-list",
        "case",
        roles(Role.FACILITATOR, Role.CENTRE_STAFF, Role.ADMIN),
    ),
    ListRows(
        "facilitation-meeting-list", "meeting", roles(Role.FACILITATOR, Role.ADMIN)
    ),
    ListRows(
        "facilitation-action-item-list",
        "action_item",
        roles(Role.FACILITATOR, Role.ADMIN),
    ),
    ListRows(
        "facilitation-example-list",
        "example",
        roles(Role.FACILITATOR, Role.CENTRE_STAFF, Role.PARTNER, Role.ADMIN),
    ),
    # The public event list never shows a draft, not even to its group.
    ListRows("event-list", "draft_event", NOBODY, matches_detail=False),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _row_ids(client: Client, name: str) -> set[int] | None:
    """Return the ids on the list's pages, or None when the list is refused."""
    response = client.get(reverse(name), {"page_size": 100})
    if response.status_code in {401, 403}:
        return None
    assert response.status_code == 200, f"{name}: {response.status_code}"
    data = response.json()
    assert data["next"] is None, f"{name}: more rows than one page"
    return {row["id"] for row in data["results"]}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", LISTS, ids=[rows.name for rows in LISTS])
def test_list_shows_row_to_readers(world, rows):
    target_id = world.kwargs[rows.target]["pk"]
    wrong = []
    for role in Role:
        client = Client()
        if role != Role.ANONYMOUS:
            client.force_login(world.users[role])
        ids = _row_ids(client, rows.name)
        shown = ids is not None and target_id in ids
        if shown != (role in rows.shown_to):
            wrong.append(f"{role}: {'shown' if shown else 'hidden'}")
    assert wrong == [], f"{rows.name} row {rows.target}"


@pytest.mark.parametrize("rows", LISTS, ids=[rows.name for rows in LISTS])
def test_list_matches_detail_rule(rows):
    if not rows.matches_detail:
        pytest.skip("the list is narrower than the detail on purpose")
    details = [
        rule
        for rule in API_RULES
        if rule.target == rows.target
        and rule.method == "GET"
        and rule.name.endswith("-detail")
    ]
    for rule in details:
        assert rule.allow == rows.shown_to, f"{rule.name} and {rows.name}"
