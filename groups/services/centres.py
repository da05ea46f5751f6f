"""Adding support centres and keeping their public pages up to date."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from groups.models import SupportCentre

logger = logging.getLogger(__name__)

# Fields that a centre's own staff may change. Prefectural staff set the
# name, municipality, scope and opening month when they add the centre.
PAGE_FIELDS = (
    "name_en",
    "operation",
    "postal_code",
    "address",
    "phone",
    "email",
    "website",
    "opening_hours",
    "closed_days",
    "description",
)


def in_display_order(centres: QuerySet[SupportCentre]) -> QuerySet[SupportCentre]:
    """Order *centres* with the prefectural centre first, then by municipality code."""
    prefecture_first = Case(
        When(scope=SupportCentre.Scope.PREFECTURE, then=Value(0)), default=Value(1)
    )
    return centres.select_related("municipality").order_by(
        prefecture_first, "municipality__code", "name", "pk"
    )


def centre_create(
    *, fields: Mapping[str, Any], opening_month: dt.date, created_by: User
) -> SupportCentre:
    """Add a support centre that opens in the month of *opening_month*.

    The indicators count the centre's municipality from that month on, so
    the date is stored as the first day of the month.
    """
    centre = SupportCentre(opened_on=opening_month.replace(day=1), **fields)
    centre.full_clean()
    if (
        centre.scope == SupportCentre.Scope.PREFECTURE
        and SupportCentre.objects.filter(
            scope=SupportCentre.Scope.PREFECTURE, closed_on__isnull=True
        ).exists()
    ):
        raise ValidationError(
            {"scope": _("An open prefectural centre already exists.")},
            code="second_prefectural_centre",
        )
    with transaction.atomic():
        centre.save()
    logger.info("Support centre %s added by user %s", centre.pk, created_by.pk)
    return centre


def centre_update(
    *, centre: SupportCentre, fields: Mapping[str, Any], changed_by: User
) -> SupportCentre:
    """Change the public page of *centre*; only PAGE_FIELDS may change."""
    unknown = set(fields) - set(PAGE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable on a centre page: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(centre, name, value)
    centre.full_clean()
    centre.save(update_fields=list(fields))
    logger.info("Support centre %s page changed by user %s", centre.pk, changed_by.pk)
    return centre
