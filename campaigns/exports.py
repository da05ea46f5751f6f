"""Exports for campaign staff: participant lists and exhibition ZIPs.

A resident's name and e-mail address go into a participant list only
while the resident's consent to sharing is recorded, and for a resident
under 18 only when a parent's or guardian's agreement is recorded and the
member of staff exporting may see the minor's data
(civic_portal.privacy.minors). Exhibition ZIPs are shown in public, so a
minor's photo credit is replaced by a placeholder there.
A photo goes into an exhibition ZIP only while it is in the gallery, so
a withdrawn photo is left out of every export built after the withdrawal.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaigns.models import Activity, Campaign, Participation, Photo
from civic_portal.accounts.models import User
from civic_portal.exports import Cell, csv_bytes
from civic_portal.privacy.minors import (
    PARTICIPANT_PLACEHOLDER,
    MinorsPolicy,
    may_share_outside,
)

logger = logging.getLogger(__name__)

# Progress is saved after this many photos, to keep the writes few.
PROGRESS_EVERY = 10


def participation_header() -> list[str]:
    return [
        pgettext("campaign", "Participant"),
        _("Kind"),
        _("E-mail address"),
        _("Registered at"),
        _("What they will do"),
        _("Activity"),
        _("Date"),
        _("Place"),
        _("Municipality"),
        _("Expected participants"),
    ]


def _participant_columns(
    participation: Participation, minors: MinorsPolicy
) -> list[Cell]:
    if participation.group is not None:
        return [
            participation.group.name,
            _("Civic group"),
            participation.group.public_email,
        ]
    user = participation.user
    if participation.share_consent_at is None or not may_share_outside(user):
        return [_("(not shared)"), _("Resident"), ""]
    if not minors.can_see(user):
        return [str(PARTICIPANT_PLACEHOLDER), _("Resident"), ""]
    return [str(user), _("Resident"), user.email]


def exported_residents(campaign: Campaign, minors: MinorsPolicy) -> list[User]:
    """Return the residents whose name and e-mail participation_rows() exports."""
    participations = list(
        Participation.objects.active()
        .filter(campaign=campaign, group__isnull=True, share_consent_at__isnull=False)
        .select_related("user")
    )
    minors.prefetch(participation.user for participation in participations)
    return [
        participation.user
        for participation in participations
        if may_share_outside(participation.user) and minors.can_see(participation.user)
    ]


def participation_rows(
    campaign: Campaign, minors: MinorsPolicy | None = None
) -> Iterator[list[Cell]]:
    """Yield one row per activity of *campaign*'s active participations.

    *minors* is the policy of the member of staff who exports. Without it
    no minor's name or address is written.
    """
    if minors is None:
        minors = MinorsPolicy(AnonymousUser())
    activities = list(
        Activity.objects.filter(
            participation__campaign=campaign,
            participation__withdrawn_at__isnull=True,
        )
        .select_related("participation__group", "participation__user", "municipality")
        .order_by("participation__created_at", "participation_id", "date", "pk")
    )
    minors.prefetch(activity.participation.user for activity in activities)
    for activity in activities:
        participation = activity.participation
        yield [
            *_participant_columns(participation, minors),
            participation.created_at,
            participation.summary,
            activity.title,
            activity.date,
            activity.place,
            str(activity.municipality),
            activity.expected_participants,
        ]


def exportable_photos(campaign: Campaign) -> QuerySet[Photo]:
    """Photos of *campaign* in the gallery, in the order the ZIP lists them."""
    return (
        Photo.objects.in_gallery()
        .filter(participation__campaign=campaign)
        .select_related("participation__group", "uploaded_by")
        .order_by("reviewed_at", "pk")
    )


def exportable_photo_list(campaign: Campaign) -> list[Photo]:
    """Return exportable_photos without those of minors lacking guardian agreement."""
    return [
        photo
        for photo in exportable_photos(campaign)
        if may_share_outside(photo.uploaded_by)
    ]


def photo_header() -> list[str]:
    return [
        _("File"),
        _("Caption"),
        _("Credit"),
        pgettext("campaign", "Participant"),
        _("People in the photo"),
        _("Statement confirmed at"),
        _("Approved at"),
    ]


def photo_file_name(index: int, photo: Photo) -> str:
    extension = (photo.image.name or "").rsplit(".", 1)[-1]
    return f"photos/{index:04d}-{photo.pk}.{extension}"


def photo_row(index: int, photo: Photo) -> list[Cell]:
    participation = photo.participation
    participant = participation.group.name if participation.group else _("Resident")
    return [
        photo_file_name(index, photo),
        photo.caption,
        photo.public_credit,
        participant,
        photo.get_people_display(),
        photo.statement_at,
        photo.reviewed_at,
    ]


def write_photo_zip(
    photos: Sequence[Photo],
    target: tempfile.SpooledTemporaryFile[bytes],
    progress: Callable[[int], None],
) -> None:
    """Write *photos* and captions.csv into a ZIP in *target*.

    Calls *progress* with the number of photos written, every
    PROGRESS_EVERY photos and at the end. Images are stored without
    compression, since JPEG, PNG and WebP are compressed already.
    """
    rows: list[list[Cell]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for index, photo in enumerate(photos, start=1):
            with photo.image.open("rb") as image:
                archive.writestr(photo_file_name(index, photo), image.read())
            rows.append(photo_row(index, photo))
            if index % PROGRESS_EVERY == 0:
                progress(index)
        archive.writestr(
            "captions.csv",
            csv_bytes(photo_header(), rows),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    progress(len(photos))
