"""Objects of the permission world that only the /api/ rules need.

build_world() in permission_world.py calls add_api_objects() after it has
built the objects of the pages, so the users, the group, the support
request and the pro bono worker exist already. The API's routes name their
keyword arguments differently from the pages (``request_pk`` and ``pk``
for a milestone), so these targets have keys of their own, prefixed
``api_``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from campaigns.models import Participation, Photo
from civic_portal.security.permissions.rules import Role
from tests.campaigns.factories import PhotoFactory
from tests.factories import SupportRequestFactory
from tests.probono.factories_projects import MilestoneFactory
from tests.probono.factories_proposals import InterestFactory

if TYPE_CHECKING:
    from tests.security.permission_world import World


def add_api_objects(world: World) -> None:
    """Add the API's targets to *world*: a project, an interest and an
    approved gallery photo."""
    group = world.objects["group"]

    # PRO_BONO_WORKER has an accepted proposal on this request, so the
    # project's participants are GROUP_STAFF, PRO_BONO_WORKER and CONCIERGE.
    request = world.objects["support_request"]
    world.kwargs["api_project"] = {"request_pk": request.pk}
    milestone = MilestoneFactory(request=request, title="トップページの公開")
    world.kwargs["api_milestone"] = {"request_pk": request.pk, "pk": milestone.pk}

    open_request = SupportRequestFactory(
        group=group, state="searching", concierge=world.users[Role.CONCIERGE]
    )
    interest = InterestFactory(request=open_request, worker=world.objects["worker"])
    world.kwargs["api_interest"] = {"pk": interest.pk}

    # The pages' photo awaits review; the gallery API shows approved ones.
    participation = Participation.objects.get(pk=world.kwargs["participation"]["pk"])
    photo = PhotoFactory(
        participation=participation,
        status=Photo.Status.APPROVED,
        reviewed_at=timezone.now(),
    )
    world.kwargs["api_gallery_photo"] = {"pk": photo.pk}
