"""Uploading activity photos, reviewing them and withdrawing them.

An upload is checked by its content, never by its name: Pillow must read
it as JPEG, PNG or WebP and decode every pixel. The stored file is a new
encoding of the image that keeps its EXIF data except the GPS block,
which holds the place where the photo was taken. XMP and the other
metadata blocks, which can also hold a location, are not copied; only
the ICC colour profile is.
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image

from campaigns.models import Gallery, Participation, Photo
from campaigns.permissions import can_manage_campaign, can_manage_participation
from civic_portal.accounts.ages import AGE_OF_MAJORITY, today_in_japan
from civic_portal.accounts.models import User
from volunteering.validators import IMAGE_DECODE_ERRORS

logger = logging.getLogger(__name__)

# Pillow names a JPEG with a multi-picture block (phones write them for
# HDR gain maps) "MPO". Only its first picture is kept.
FORMAT_EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
# Quality of re-encoded MPO and WebP photos (Pillow's 0 to 100 scale).
JPEG_QUALITY = 90
WEBP_QUALITY = 90


def _not_a_photo() -> ValidationError:
    return ValidationError(
        {"image": _("The file is not a JPEG, PNG or WebP image.")},
        code="not_an_image",
    )


def _check_size(image: UploadedFile) -> None:
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if image.size is not None and image.size > limit:
        raise ValidationError(
            {
                "image": _("The photo is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": f"{image.size / 1_048_576:.1f}", "limit": limit // 1_048_576}
            },
            code="file_too_large",
        )


def _reencode(image: Image.Image, source_format: str) -> bytes:
    """Encode *image* again in its own format, without the GPS block."""
    exif = image.getexif()
    exif.pop(ExifTags.IFD.GPSInfo, None)
    options: dict[str, object] = {"exif": exif.tobytes()}
    icc_profile = image.info.get("icc_profile")
    if icc_profile:
        options["icc_profile"] = icc_profile
    save_format = "JPEG" if source_format == "MPO" else source_format
    if source_format == "JPEG":
        # Reuse the file's own quantisation tables, so quality is not lost.
        # Pillow 13 allows "keep" only for images it opened as JPEG.
        options["quality"] = "keep"
    elif source_format == "MPO":
        options["quality"] = JPEG_QUALITY
    elif save_format == "WEBP":
        options["quality"] = WEBP_QUALITY
    buffer = io.BytesIO()
    image.save(buffer, format=save_format, **options)
    return buffer.getvalue()


def clean_photo_file(upload: UploadedFile) -> ContentFile:
    """Check *upload* by content and return it without location data.

    Raises ValidationError on the "image" field for a file over
    MAX_IMAGE_UPLOAD_BYTES, over Image.MAX_IMAGE_PIXELS pixels, or that is
    not a whole JPEG, PNG or WebP image.
    """
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            source_format = image.format or ""
            if source_format not in FORMAT_EXTENSIONS:
                raise _not_a_photo()
            width, height = image.size
            max_pixels = Image.MAX_IMAGE_PIXELS
            if max_pixels is not None and width * height > max_pixels:
                raise ValidationError(
                    {
                        "image": _(
                            "The photo has more than %(megapixels)d million "
                            "pixels. Make it smaller and upload it again."
                        )
                        % {"megapixels": max_pixels // 1_000_000}
                    },
                    code="too_many_pixels",
                )
            # Encoding decodes every pixel, so a truncated file fails here.
            content = _reencode(image, source_format)
    except Image.DecompressionBombError as error:
        raise _not_a_photo() from error
    except IMAGE_DECODE_ERRORS as error:
        logger.info("Photo upload rejected: %s", type(error).__name__)
        raise _not_a_photo() from error
    stem = PurePath(upload.name or "photo").stem[:50] or "photo"
    return ContentFile(content, name=f"{stem}.{FORMAT_EXTENSIONS[source_format]}")


def _check_guardian_consent(user: User) -> None:
    age = user.age_on(today_in_japan())
    if age is not None and age < AGE_OF_MAJORITY and user.guardian_consent_at is None:
        raise ValidationError(
            _(
                "You are under %(age)d and no parent's or guardian's agreement "
                "is recorded for your account, so you cannot share photos yet. "
                "Ask the support centre to record it."
            )
            % {"age": AGE_OF_MAJORITY},
            code="guardian_consent_required",
        )


@transaction.atomic
def upload_photo(
    participation: Participation,
    user: User,
    *,
    image: UploadedFile,
    caption: str,
    credit: str,
    people: str,
    statement_confirmed: bool,
) -> Photo:
    """Store a photo of *participation*'s activity, awaiting staff review.

    *people* is one of Photo.People. *statement_confirmed* records that
    the uploader confirms that statement and agrees that the photo is
    shown in the gallery and exhibitions until they withdraw it.
    """
    if not can_manage_participation(user, participation):
        raise PermissionDenied("Not the participant or staff of its group.")
    if not participation.is_active:
        raise ValidationError(_("This participation was withdrawn."), code="withdrawn")
    if people not in Photo.People.values:
        raise ValidationError(
            {"people": _("Say whether people can be identified in the photo.")},
            code="people_missing",
        )
    if not statement_confirmed:
        raise ValidationError(
            {"statement_confirmed": _("Confirm the statement to upload the photo.")},
            code="statement_missing",
        )
    _check_guardian_consent(user)
    content = clean_photo_file(image)
    photo = Photo(
        participation=participation,
        caption=caption.strip(),
        credit=credit.strip(),
        people=people,
        statement_at=timezone.now(),
        uploaded_by=user,
    )
    # NOTE: the file is stored before the row. If the transaction rolls
    # back, the file stays behind under a random name that nothing links to.
    photo.image.save(content.name or "photo.jpg", content, save=False)
    photo.save()
    logger.info("Photo %s uploaded for participation %s", photo.pk, participation.pk)
    return photo


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _load_for_review(photo: Photo, user: User) -> Photo:
    locked = (
        Photo.objects.select_for_update()
        .select_related("participation__campaign")
        .get(pk=photo.pk)
    )
    if not can_manage_campaign(user, locked.participation.campaign):
        raise PermissionDenied("Not staff responsible for this campaign.")
    if locked.status == Photo.Status.WITHDRAWN or not locked.participation.is_active:
        raise ValidationError(_("The uploader withdrew this photo."), code="withdrawn")
    return locked


def _mail_decision(photo: Photo) -> None:
    from campaigns.tasks import send_photo_decision

    photo_id = photo.pk
    transaction.on_commit(lambda: send_photo_decision.delay(photo_id))


@transaction.atomic
def approve_photo(photo: Photo, user: User) -> Photo:
    """Put *photo* into its campaign's public gallery and tell the uploader."""
    locked = _load_for_review(photo, user)
    if locked.status == Photo.Status.APPROVED:
        return locked
    Gallery.objects.get_or_create(campaign=locked.participation.campaign)
    locked.status = Photo.Status.APPROVED
    locked.rejection_reason = ""
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save()
    logger.info("Photo %s approved by user %s", locked.pk, user.pk)
    _mail_decision(locked)
    return locked


@transaction.atomic
def reject_photo(photo: Photo, user: User, *, reason: str) -> Photo:
    """Keep *photo* out of the gallery, or take it out, and tell the uploader why."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason, so the uploader knows what to change.")},
            code="reason_missing",
        )
    locked = _load_for_review(photo, user)
    locked.status = Photo.Status.REJECTED
    locked.rejection_reason = reason.strip()
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save()
    logger.info("Photo %s rejected by user %s", locked.pk, user.pk)
    _mail_decision(locked)
    return locked


@transaction.atomic
def withdraw_photo(photo: Photo, user: User) -> None:
    """Take *photo* out of the gallery and future exports at once, and delete its file.

    Only the uploader can withdraw a photo.
    """
    locked = Photo.objects.select_for_update().get(pk=photo.pk)
    if locked.uploaded_by_id != user.pk:
        raise PermissionDenied("Only the uploader withdraws a photo.")
    if locked.status == Photo.Status.WITHDRAWN:
        return
    withdraw_photos(Photo.objects.filter(pk=locked.pk))
    logger.info("Photo %s withdrawn by its uploader", locked.pk)


def withdraw_photos(photos: QuerySet[Photo]) -> int:
    """Mark *photos* withdrawn and delete their files once the transaction commits."""
    live = photos.exclude(status=Photo.Status.WITHDRAWN)
    names = list(live.values_list("image", flat=True))
    count = live.update(status=Photo.Status.WITHDRAWN, withdrawn_at=timezone.now())
    transaction.on_commit(lambda: _delete_files(names))
    return count
