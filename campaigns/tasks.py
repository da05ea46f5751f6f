"""Celery tasks of campaigns: decision mails and exhibition ZIPs."""

from __future__ import annotations

import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.utils import timezone

from campaigns.exports import exportable_photo_list, write_photo_zip
from campaigns.models import Loan, Photo, PhotoExport
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url

logger = logging.getLogger(__name__)

# ZIPs up to this size stay in memory while they are built.
SPOOL_MAX_BYTES = 20 * 1024 * 1024


@shared_task(**RETRY_OPTIONS)
def send_photo_decision(photo_id: int) -> bool:
    """Tell the uploader that their photo was approved or rejected.

    Returns True when a mail was sent now. Each decision sends one mail,
    also when the task is retried.
    """
    photo = (
        Photo.objects.select_related("participation__campaign", "uploaded_by")
        .filter(pk=photo_id)
        .first()
    )
    if photo is None or photo.status not in (
        Photo.Status.APPROVED,
        Photo.Status.REJECTED,
    ):
        logger.info("Photo %s has no decision to mail", photo_id)
        return False
    campaign = photo.participation.campaign
    # Staff can take an approved photo out again, so the key names the review.
    decided = int(photo.reviewed_at.timestamp()) if photo.reviewed_at else 0
    return send_mail_once(
        key=f"campaigns.photo.{photo.status}:{photo.pk}:{decided}",
        recipient=photo.uploaded_by,
        template_prefix=f"mail/campaigns/photo_{photo.status}",
        context={
            "recipient_name": str(photo.uploaded_by),
            "photo": photo,
            "campaign": campaign,
            "gallery_url": site_url("campaigns:gallery", campaign.pk),
            "participation_url": site_url(
                "campaigns:participation_detail", photo.participation_id
            ),
        },
    )


@shared_task(**RETRY_OPTIONS)
def send_loan_decision(loan_id: int) -> int:
    """Tell the participant that their loan request was approved or rejected.

    Mails the staff member who requested it. Returns the number of mails
    sent now.
    """
    loan = (
        Loan.objects.select_related("participation__campaign", "item", "requested_by")
        .filter(pk=loan_id)
        .first()
    )
    if loan is None or loan.requested_by is None or loan.decided_at is None:
        logger.info("Loan %s has no decision to mail", loan_id)
        return 0
    if loan.status not in (Loan.Status.APPROVED, Loan.Status.REJECTED):
        logger.info("Loan %s is %s now; no decision mail", loan_id, loan.status)
        return 0
    sent = send_mail_once(
        key=f"campaigns.loan.{loan.status}:{loan.pk}",
        recipient=loan.requested_by,
        template_prefix=f"mail/campaigns/loan_{loan.status}",
        context={
            "recipient_name": str(loan.requested_by),
            "loan": loan,
            "campaign": loan.participation.campaign,
            "participation_url": site_url(
                "campaigns:participation_detail", loan.participation_id
            ),
        },
    )
    return int(sent)


@shared_task
def build_photo_export(export_id: int) -> str:
    """Build the exhibition ZIP of a PhotoExport and store it; return its status."""
    export = PhotoExport.objects.select_related("campaign").get(pk=export_id)
    if export.status != PhotoExport.Status.QUEUED:
        logger.info("Photo export %s is %s already", export_id, export.status)
        return export.status
    photos = exportable_photo_list(export.campaign)
    PhotoExport.objects.filter(pk=export_id).update(
        status=PhotoExport.Status.RUNNING,
        total=len(photos),
        photo_ids=[photo.pk for photo in photos],
    )
    logger.info("Photo export %s started: %s photos", export_id, len(photos))

    def progress(done: int) -> None:
        PhotoExport.objects.filter(pk=export_id).update(done=done)

    try:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as target:
            write_photo_zip(photos, target, progress)
            target.seek(0)
            export.refresh_from_db()
            name = f"campaign-{export.campaign_id}-photos.zip"
            export.file.save(name, File(target, name=name), save=False)
    except Exception:  # any failure is shown to staff as a failed export
        logger.exception("Photo export %s failed", export_id)
        PhotoExport.objects.filter(pk=export_id).update(
            status=PhotoExport.Status.FAILED, finished_at=timezone.now()
        )
        return PhotoExport.Status.FAILED
    export.status = PhotoExport.Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "finished_at"])
    logger.info("Photo export %s finished", export_id)
    return export.status
