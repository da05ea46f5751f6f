"""Celery tasks of the indicators: the nightly recompute, the freeze reminder
and the white paper.

See the beat schedule in civic_portal/celery.py for when they run.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import Q, QuerySet
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_label_lazy
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from groups.models import SupportCentre
from indicators.services.snapshots import (
    current_fiscal_year,
    is_frozen,
    store_snapshots,
)
from indicators.services.white_paper import build_export

logger = logging.getLogger(__name__)


@shared_task
def recompute_snapshots() -> int:
    """Store tonight's values of the current fiscal year, and of the last one.

    The last fiscal year is recomputed too until it is frozen, because
    late entries (annual reports, dissolutions) still arrive after 31 March.
    Returns the number of snapshots written.
    """
    year = current_fiscal_year()
    written = store_snapshots(year)
    if not is_frozen(year - 1):
        written += store_snapshots(year - 1)
    return written


def prefectural_staff() -> QuerySet[User]:
    """Return the active users whom groups.permissions treats as prefectural staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(centre_memberships__centre__scope=SupportCentre.Scope.PREFECTURE)
        )
        .distinct()
        .order_by("pk")
    )


@shared_task(**RETRY_OPTIONS)
def send_freeze_reminders() -> int:
    """Remind prefectural staff to freeze the fiscal year that ends this month.

    The mail key names the fiscal year and the user, so a retried or
    repeated run sends each person one reminder a year. Returns the number
    of mails sent now.
    """
    year = current_fiscal_year()
    if is_frozen(year):
        logger.info("Fiscal %s is frozen already, so no freeze reminder is sent", year)
        return 0
    context = {
        "fiscal_year": year,
        "fiscal_year_label": fiscal_year_label_lazy(year),
        "year_url": site_url("indicators:year", year),
        "sent_on": timezone.now(),
    }
    sent = 0
    for user in prefectural_staff():
        sent += send_mail_once(
            key=f"indicators.freeze_reminder:{year}:{user.pk}",
            recipient=user,
            template_prefix="mail/indicators/freeze_reminder",
            context={**context, "recipient": user},
        )
    logger.info("Freeze reminders for fiscal %s: %d sent", year, sent)
    return sent


@shared_task
def build_white_paper(export_id: int) -> str:
    """Build the HTML, PDF and workbook of a white paper export.

    Progress and failures are recorded on the export row, so the task
    does not retry by itself: staff retry a failed export from its page.
    Returns the export's final status.
    """
    return build_export(export_id).status
