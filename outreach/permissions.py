"""Permission rules for printing flyers.

Staff of the organising group may open the flyer of any of their posts
and events, and centre staff responsible for the group only of public
ones, so a draft stays inside its group. The views then print a flyer
only for a public post or event. Flyers are not public: the people who
hand out flyers are the groups and the centres, and each PDF takes
WeasyPrint about 0.12 s of CPU (measured for a one-page post flyer),
which an anonymous crawler could multiply.
"""

from __future__ import annotations

from civic_portal.types import AnyUser
from groups.models import CivicGroup, Event
from groups.permissions import can_review
from volunteering.models import VolunteerPost
from volunteering.selectors import is_public


def can_print_post_flyer(user: AnyUser, post: VolunteerPost) -> bool:
    if not user.is_authenticated:
        return False
    if post.group.is_staff_member(user):
        return True
    # can_review runs first because for a resident it is a single query
    # that returns False.
    return can_review(user, post.group) and is_public(post)


def can_print_event_flyer(user: AnyUser, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    if event.group.is_staff_member(user):
        return True
    return can_review(user, event.group) and is_public_event(event)


def is_public_event(event: Event) -> bool:
    """Return whether the public can see *event*: published by a public group."""
    if event.status != Event.Status.PUBLISHED:
        return False
    return CivicGroup.objects.public().filter(pk=event.group_id).exists()
