"""Post-activity reports that groups publish on a post's public page."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from volunteering.models import PostReport, ReportPhoto, VolunteerPost
from volunteering.validators import validate_image_upload

logger = logging.getLogger(__name__)

MAX_PHOTOS_PER_REPORT = 6


def _check_photos(photos: Sequence[tuple[UploadedFile, str]]) -> None:
    if len(photos) > MAX_PHOTOS_PER_REPORT:
        raise ValidationError(
            _("A report can have at most %(max)d photos.")
            % {"max": MAX_PHOTOS_PER_REPORT}
        )
    for image, alt_text in photos:
        if not alt_text.strip():
            raise ValidationError(
                _("Describe what each photo shows for screen readers.")
            )
        validate_image_upload(image)


@transaction.atomic
def report_create(
    *,
    post_id: int,
    created_by: User,
    title: str,
    body: str,
    session_id: int | None = None,
    photos: Sequence[tuple[UploadedFile, str]] = (),
) -> PostReport:
    """Publish a report on a post, with up to 6 photos and their alt text."""
    post = VolunteerPost.objects.get(pk=post_id)
    if not title.strip():
        raise ValidationError({"title": _("Enter a title.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the report.")})
    if session_id is not None and not post.sessions.filter(pk=session_id).exists():
        raise ValidationError({"session": _("Choose one of this post's sessions.")})
    _check_photos(photos)

    report = PostReport.objects.create(
        post=post,
        session_id=session_id,
        title=title.strip(),
        body=body.strip(),
        created_by=created_by,
    )
    for image, alt_text in photos:
        ReportPhoto.objects.create(
            report=report, image=image, alt_text=alt_text.strip()
        )
    logger.info(
        "Report %s with %d photos added to post %s by user %s",
        report.pk,
        len(photos),
        post.pk,
        created_by.pk,
    )
    return report


@transaction.atomic
def report_delete(*, report_id: int, deleted_by: User) -> None:
    """Delete a report and, after commit, its photo files."""
    report = PostReport.objects.get(pk=report_id)
    files = [(photo.image.storage, photo.image.name) for photo in report.photos.all()]
    post_id = report.post_id
    report.delete()
    for storage, name in files:
        if name:
            transaction.on_commit(partial(storage.delete, name))
    logger.info(
        "Report %s of post %s deleted by user %s", report_id, post_id, deleted_by.pk
    )
