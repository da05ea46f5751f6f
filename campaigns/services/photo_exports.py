"""Starting exhibition exports and checking that a finished one is still valid."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from campaigns.models import Campaign, Photo, PhotoExport
from campaigns.permissions import can_manage_campaign
from civic_portal.accounts.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def start_photo_export(campaign: Campaign, user: User) -> PhotoExport:
    """Queue a Celery task that builds the exhibition ZIP of *campaign*."""
    if not can_manage_campaign(user, campaign):
        raise PermissionDenied("Not staff responsible for this campaign.")
    from campaigns.tasks import build_photo_export

    export = PhotoExport.objects.create(campaign=campaign, requested_by=user)
    export_id = export.pk
    transaction.on_commit(lambda: build_photo_export.delay(export_id))
    logger.info("Photo export %s of campaign %s queued", export.pk, campaign.pk)
    return export


def is_stale(export: PhotoExport) -> bool:
    """Tell whether a photo in *export* has left the gallery since it was built.

    A withdrawn photo must not be handed out again, so such a ZIP is not
    downloaded and staff build a new one.
    """
    if not export.photo_ids:
        return False
    live = (
        Photo.objects.in_gallery()
        .filter(pk__in=export.photo_ids)
        .values_list("pk", flat=True)
    )
    return len(set(live)) != len(set(export.photo_ids))
