"""Creating, editing and publishing volunteer posts, and their photos.

Status changes allowed: draft → published, draft → scheduled,
scheduled → draft, scheduled → published (by posts_publish_due) and
published → closed. Every change to a published post is recorded in
PostRevision with the old and new value of each field.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup
from volunteering.models import PostPhoto, PostRevision, VolunteerPost
from volunteering.validators import validate_image_upload

from . import capacity
from .notifications import notify_place_changed

logger = logging.getLogger(__name__)

Status = VolunteerPost.Status

# The fields staff fill in on the post form, in form order.
POST_FIELDS = (
    "title",
    "description",
    "activity_field",
    "municipality",
    "place",
    "is_online",
    "tasks",
    "what_to_bring",
    "accepts_individuals",
    "accepts_teams",
    "welcomes_high_school",
    "minimum_age",
    "contact_name",
    "contact_email",
    "contact_phone",
    "kind",
    "monthly_capacity",
    "application_deadline",
    "auto_accept",
)
MAX_PHOTOS_PER_POST = 6
MAX_MINIMUM_AGE = 99


def check_post_fields(post: VolunteerPost, *, deadline_changed: bool) -> None:
    """Raise ValidationError, keyed by field, for rules across fields."""
    errors: dict[str, str] = {}
    if not post.is_online and not post.place.strip():
        errors["place"] = _("Enter the place of the activity, or tick Online.")
    if not post.accepts_individuals and not post.accepts_teams:
        errors["accepts_teams"] = _(
            "Welcome individuals, teams from companies or groups, or both."
        )
    if post.minimum_age is not None and post.minimum_age > MAX_MINIMUM_AGE:
        errors["minimum_age"] = _("Enter a minimum age of %(max)d or lower.") % {
            "max": MAX_MINIMUM_AGE
        }
    if post.monthly_capacity is not None and not post.is_year_round:
        errors["monthly_capacity"] = _(
            "Places per month apply to year-round posts only. Leave it empty "
            "for a post with dated sessions."
        )
    deadline = post.application_deadline
    if deadline_changed and deadline is not None and deadline < timezone.now():
        errors["application_deadline"] = _(
            "The application deadline is in the past. Enter a later date and time."
        )
    if errors:
        raise ValidationError(errors)


def _check_publishable(post: VolunteerPost, *, at: dt.datetime) -> None:
    """Raise ValidationError if *post* cannot be public at time *at*."""
    deadline = post.application_deadline
    if deadline is not None and deadline <= at:
        raise ValidationError(
            _(
                "The application deadline is before the post would be published. "
                "Change the deadline first."
            )
        )
    if not post.is_year_round and not post.sessions.filter(starts_at__gt=at).exists():
        raise ValidationError(
            _(
                "A post with dated sessions needs at least one upcoming session "
                "before it is published. Add a session first."
            )
        )


@transaction.atomic
def post_create(
    *, group: CivicGroup, created_by: User, fields: Mapping[str, Any]
) -> VolunteerPost:
    """Create a draft post for *group* from the form's *fields*."""
    post = VolunteerPost(group=group, created_by=created_by, status=Status.DRAFT)
    for name in POST_FIELDS:
        if name in fields:
            setattr(post, name, fields[name])
    check_post_fields(post, deadline_changed=True)
    post.save()
    logger.info("Post %s created by user %s", post.pk, created_by.pk)
    return post


def history_value(value: Any) -> str | int | bool | None:
    """Return *value* as stored in PostRevision.changes, in JSON types.

    Booleans and choice values stay raw so that the history page shows
    them in the reader's language. Dates are stored in Japan time.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, JAPAN).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _record_revision(
    post: VolunteerPost, changed_by: User, changes: dict[str, dict[str, Any]]
) -> None:
    if changes:
        PostRevision.objects.create(post=post, changed_by=changed_by, changes=changes)


@transaction.atomic
def post_update(
    *, post_id: int, changed_by: User, fields: Mapping[str, Any]
) -> VolunteerPost:
    """Change the post's fields and record the changes of a published post."""
    post = capacity.lock_post(post_id)
    if post.status == Status.CLOSED:
        raise ValidationError(_("A closed post can no longer be changed."))

    changes: dict[str, dict[str, Any]] = {}
    old_deadline = post.application_deadline
    old_kind = post.kind
    old_place, old_is_online = post.place, post.is_online
    for name in POST_FIELDS:
        if name not in fields:
            continue
        old, new = getattr(post, name), fields[name]
        if old != new:
            changes[name] = {"old": history_value(old), "new": history_value(new)}
            setattr(post, name, new)

    if post.kind != old_kind and post.applications.exists():
        raise ValidationError(
            {
                "kind": _(
                    "The schedule cannot change because the post already has "
                    "applications."
                )
            }
        )
    check_post_fields(post, deadline_changed=post.application_deadline != old_deadline)
    if post.status == Status.PUBLISHED and post.kind != old_kind:
        _check_publishable(post, at=timezone.now())
    post.save()

    if post.status == Status.PUBLISHED:
        _record_revision(post, changed_by, changes)
    notify_place_changed(
        post_id=post.pk, old_place=old_place, old_is_online=old_is_online
    )
    logger.info(
        "Post %s updated by user %s: %d fields changed",
        post.pk,
        changed_by.pk,
        len(changes),
    )
    return post


def _status_change(old: str, new: str) -> dict[str, dict[str, Any]]:
    return {"status": {"old": old, "new": new}}


@transaction.atomic
def post_publish(*, post_id: int, published_by: User) -> VolunteerPost:
    """Publish a draft or scheduled post now."""
    post = capacity.lock_post(post_id)
    if post.status not in (Status.DRAFT, Status.SCHEDULED):
        raise ValidationError(_("Only a draft or scheduled post can be published."))
    now = timezone.now()
    _check_publishable(post, at=now)
    post.status = Status.PUBLISHED
    post.published_at = now
    post.publish_at = None
    post.save(update_fields=["status", "published_at", "publish_at", "updated_at"])
    logger.info("Post %s published by user %s", post.pk, published_by.pk)
    return post


@transaction.atomic
def post_schedule(
    *, post_id: int, publish_at: dt.datetime | None, scheduled_by: User
) -> VolunteerPost:
    """Schedule a draft post to publish itself at *publish_at*."""
    post = capacity.lock_post(post_id)
    if post.status != Status.DRAFT:
        raise ValidationError(_("Only a draft post can be scheduled."))
    if publish_at is None:
        raise ValidationError(
            {"publish_at": _("Enter the date and time to publish the post.")}
        )
    if publish_at <= timezone.now():
        raise ValidationError(
            {
                "publish_at": _(
                    "The publishing time is in the past. Enter a later time, "
                    "or publish now."
                )
            }
        )
    _check_publishable(post, at=publish_at)
    post.status = Status.SCHEDULED
    post.publish_at = publish_at
    post.save(update_fields=["status", "publish_at", "updated_at"])
    logger.info("Post %s scheduled by user %s", post.pk, scheduled_by.pk)
    return post


@transaction.atomic
def post_unschedule(*, post_id: int, changed_by: User) -> VolunteerPost:
    """Turn a scheduled post back into a draft."""
    post = capacity.lock_post(post_id)
    if post.status != Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled post can go back to draft."))
    post.status = Status.DRAFT
    post.publish_at = None
    post.save(update_fields=["status", "publish_at", "updated_at"])
    logger.info("Post %s unscheduled by user %s", post.pk, changed_by.pk)
    return post


@transaction.atomic
def post_close(*, post_id: int, closed_by: User) -> VolunteerPost:
    """Close a published post to new applications. Existing applications stay."""
    post = capacity.lock_post(post_id)
    if post.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published post can be closed."))
    _record_revision(post, closed_by, _status_change(post.status, Status.CLOSED))
    post.status = Status.CLOSED
    post.save(update_fields=["status", "updated_at"])
    logger.info("Post %s closed by user %s", post.pk, closed_by.pk)
    return post


def posts_publish_due() -> int:
    """Publish scheduled posts whose time has come and return how many.

    A post that can no longer be published (for example, all its sessions
    have passed) goes back to draft, so staff see it among their drafts.
    """
    due_ids = list(
        VolunteerPost.objects.due_for_publishing().values_list("pk", flat=True)
    )
    published = 0
    for post_id in due_ids:
        with transaction.atomic():
            post = capacity.lock_post(post_id)
            now = timezone.now()
            if post.status != Status.SCHEDULED or post.publish_at is None:
                continue
            if post.publish_at > now:
                continue
            try:
                _check_publishable(post, at=now)
            except ValidationError as error:
                post.status = Status.DRAFT
                post.save(update_fields=["status", "updated_at"])
                logger.warning(
                    "Scheduled post %s returned to draft: %s", post.pk, error.messages
                )
                continue
            post.status = Status.PUBLISHED
            post.published_at = now
            post.save(update_fields=["status", "published_at", "updated_at"])
            published += 1
            logger.info("Scheduled post %s published", post.pk)
    return published


# Photos


@transaction.atomic
def post_photo_add(
    *, post_id: int, image: UploadedFile, alt_text: str, added_by: User
) -> PostPhoto:
    """Add a photo with its alternative text, up to 6 photos per post."""
    post = capacity.lock_post(post_id)
    if post.photos.count() >= MAX_PHOTOS_PER_POST:
        raise ValidationError(
            _("A post can have at most %(max)d photos. Delete one first.")
            % {"max": MAX_PHOTOS_PER_POST}
        )
    if not alt_text.strip():
        raise ValidationError(
            {"alt_text": _("Describe what the photo shows for screen readers.")}
        )
    try:
        validate_image_upload(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    last = post.photos.aggregate(last=Max("position"))["last"]
    photo = PostPhoto(
        post=post,
        image=image,
        alt_text=alt_text.strip(),
        position=0 if last is None else last + 1,
    )
    photo.save()
    logger.info("Photo %s added to post %s by user %s", photo.pk, post.pk, added_by.pk)
    return photo


@transaction.atomic
def post_photo_delete(*, photo_id: int, deleted_by: User) -> None:
    """Delete a photo row, then its file once the deletion has committed."""
    photo = PostPhoto.objects.get(pk=photo_id)
    storage, name = photo.image.storage, photo.image.name
    post_id = photo.post_id
    photo.delete()
    if name:
        transaction.on_commit(partial(storage.delete, name))
    logger.info(
        "Photo %s of post %s deleted by user %s", photo_id, post_id, deleted_by.pk
    )
