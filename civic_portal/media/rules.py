"""Who may fetch which uploaded file: one rule per upload folder.

A stored file's name starts with its field's upload_to folder ("posts/",
"campaigns/photos/", ...). MEDIA_RULES maps each folder to the model and
fields that store such names and to an access function, which returns
PUBLIC, PRIVATE or HIDDEN for a user and the row that owns the file. A
rule without an access function is for files that MEDIA_URL never serves,
because another view serves them with its own checks or nobody downloads
them. tests/media/test_rules.py walks every FileField of every model and
fails when a field's folder has no rule here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q

from civic_portal.types import AnyUser


class Access(enum.Enum):
    """The access of one user to one uploaded file."""

    # Everyone may fetch it, and shared caches may keep it.
    PUBLIC = "public"
    # This user may fetch it, and no cache may store it.
    PRIVATE = "private"
    # This user gets 404, as if the file did not exist.
    HIDDEN = "hidden"


AccessFunction = Callable[[AnyUser, Any], Access]


@dataclass(frozen=True)
class MediaRule:
    """The rule for the files in one upload folder.

    *fields* are the file fields of *model* whose names start with
    *prefix*. *access* is None when MEDIA_URL never serves these files;
    *served_by* then says what does, for the docs and the tests.
    """

    prefix: str
    model: str
    fields: tuple[str, ...]
    access: AccessFunction | None
    served_by: str = ""
    select_related: tuple[str, ...] = ()

    def find_owner(self, name: str) -> models.Model | None:
        """Return the row whose file field stores *name*, or None."""
        model = apps.get_model(self.model)
        matches = Q()
        for field in self.fields:
            matches |= Q(**{field: name})
        queryset = model._default_manager.select_related(*self.select_related)
        return queryset.filter(matches).first()

    def storage(self) -> Storage:
        """Return the storage of the rule's file fields."""
        field = apps.get_model(self.model)._meta.get_field(self.fields[0])
        assert isinstance(field, models.FileField)
        return field.storage


def _post_access(user: AnyUser, post_id: int) -> Access:
    from volunteering.models import VolunteerPost

    posts = VolunteerPost.objects.filter(pk=post_id)
    if posts.published().exists():
        return Access.PUBLIC
    if posts.readable_by(user).exists():
        return Access.PRIVATE
    return Access.HIDDEN


def post_photo_access(user: AnyUser, photo: Any) -> Access:
    """Public with a published post; else for who may read the post's page.

    VolunteerPostQuerySet.readable_by decides that: the group's staff for
    drafts, and applicants for a closed post they applied to.
    """
    return _post_access(user, photo.post_id)


def report_photo_access(user: AnyUser, photo: Any) -> Access:
    """The rule of the post that the activity report belongs to."""
    return _post_access(user, photo.report.post_id)


def campaign_photo_access(user: AnyUser, photo: Any) -> Access:
    """Public in a public gallery; else for the uploader and the reviewers.

    A photo awaiting review, rejected, or approved in a hidden gallery or
    a withdrawn participation is shown to the uploader, to the staff of
    the participation's group (or the resident who registered it) and to
    the centre or prefectural staff who manage the campaign. A withdrawn
    photo is shown to nobody, because its file is deleted on withdrawal.
    """
    from campaigns.models import Participation, Photo
    from campaigns.permissions import can_manage_campaign

    if photo.status == Photo.Status.WITHDRAWN:
        return Access.HIDDEN
    if Photo.objects.in_gallery().filter(pk=photo.pk).exists():
        return Access.PUBLIC
    if not user.is_authenticated:
        return Access.HIDDEN
    if photo.uploaded_by_id == user.pk:
        return Access.PRIVATE
    participations = Participation.objects.of_user(user.pk)
    if participations.filter(pk=photo.participation_id).exists():
        return Access.PRIVATE
    if can_manage_campaign(user, photo.participation.campaign):
        return Access.PRIVATE
    return Access.HIDDEN


MEDIA_RULES: tuple[MediaRule, ...] = (
    MediaRule(
        "campaigns/photos/",
        "campaigns.Photo",
        ("image",),
        campaign_photo_access,
        select_related=("participation__campaign",),
    ),
    MediaRule(
        "campaigns/exports/",
        "campaigns.PhotoExport",
        ("file",),
        None,
        served_by="campaigns:export_download (campaign staff, stale exports refused)",
    ),
    MediaRule("posts/", "volunteering.PostPhoto", ("image",), post_photo_access),
    MediaRule(
        "reports/",
        "volunteering.ReportPhoto",
        ("image",),
        report_photo_access,
        select_related=("report",),
    ),
    MediaRule(
        "white_papers/",
        "indicators.WhitePaperExport",
        ("html_file", "pdf_file", "workbook_file"),
        None,
        served_by="indicators:white_paper_download (prefectural staff)",
    ),
    MediaRule(
        "group-imports/",
        "",
        (),
        None,
        served_by="nothing: the admin's group import reads and deletes its CSV file",
    ),
)


def rule_for(name: str) -> MediaRule | None:
    """Return the rule with the longest prefix that starts *name*, or None."""
    matching = [rule for rule in MEDIA_RULES if name.startswith(rule.prefix)]
    return max(matching, key=lambda rule: len(rule.prefix), default=None)
