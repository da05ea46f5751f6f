"""Writes and reads of the partner directory (協働パートナー).

The partner rules live on the model (Partner.clean and its check
constraint), so the pages, the API and the admin reject the same input.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from civic_portal.accounts.models import User
from facilitation.models import Partner
from groups.models import ActivityField

logger = logging.getLogger(__name__)

# The fields a facilitator or centre staff member sets on a partner.
PARTNER_FIELDS = (
    "name",
    "kind",
    "contact_name",
    "contact_email",
    "contact_phone",
    "municipality",
    "website",
    "offers_volunteer_leave",
    "takes_part_in_probono",
    "note",
    "is_active",
)


def directory() -> QuerySet[Partner]:
    """Return every partner with what the list shows, in name order."""
    return (
        Partner.objects.select_related("municipality")
        .prefetch_related("activity_fields")
        .order_by("name", "pk")
    )


@transaction.atomic
def save_partner(
    *,
    partner: Partner,
    fields: Mapping[str, Any],
    activity_fields: Iterable[ActivityField],
    user: User,
) -> Partner:
    """Validate and save a new or changed partner with its fields of interest.

    Raises ValidationError, by field, when a rule of Partner is broken.
    """
    creating = partner.pk is None
    for name, value in fields.items():
        if name not in PARTNER_FIELDS:
            raise ValueError(f"{name!r} is not a partner field that can be set.")
        setattr(partner, name, value)
    partner.full_clean()
    partner.save()
    partner.activity_fields.set(activity_fields)
    logger.info(
        "Partner %s %s by user %s",
        partner.pk,
        "created" if creating else "updated",
        user.pk,
    )
    return partner
