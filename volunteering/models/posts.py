from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.text import normalize_search_text
from volunteering.uploads import post_photo_path
from volunteering.validators import validate_image_upload

from .querysets import VolunteerPostQuerySet, VolunteerSessionQuerySet


class VolunteerPost(models.Model):
    """A group's call for volunteers (ボランティア募集)."""

    class Kind(models.TextChoices):
        SESSIONS = "sessions", _("Dated sessions")
        YEAR_ROUND = "year_round", _("Year-round")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="volunteer_posts",
        verbose_name=_("civic group"),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    activity_field = models.ForeignKey(
        "groups.ActivityField",
        on_delete=models.PROTECT,
        related_name="volunteer_posts",
        verbose_name=_("activity field"),
    )
    municipality = models.ForeignKey(
        "groups.Municipality",
        on_delete=models.PROTECT,
        related_name="volunteer_posts",
        verbose_name=_("municipality"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    tasks = models.TextField(_("tasks"), blank=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    accepts_individuals = models.BooleanField(_("individuals welcome"), default=True)
    accepts_teams = models.BooleanField(
        _("teams from companies or groups welcome"), default=False
    )
    welcomes_high_school = models.BooleanField(
        _("high-school students welcome"), default=False
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(
        _("contact phone number"), max_length=20, blank=True
    )
    kind = models.CharField(
        _("schedule"), max_length=20, choices=Kind.choices, default=Kind.SESSIONS
    )
    monthly_capacity = models.PositiveIntegerField(
        _("places per month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Year-round posts only. Leave empty for no limit."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("A scheduled post publishes itself at this time."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    application_deadline = models.DateTimeField(
        _("application deadline"), null=True, blank=True
    )
    auto_accept = models.BooleanField(
        _("accept applications automatically"), default=False
    )
    search_text = models.TextField(editable=False, default="")
    # Start of the earliest session that had not started when the value was
    # last refreshed; None when there is none, so year-round posts sort after
    # every post with a dated session. Written only by
    # volunteering.services.next_session, so a session that has just started
    # keeps its value until the periodic refresh rolls it forward.
    next_session_starts_at = models.DateTimeField(
        _("next session starts at"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VolunteerPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer post")
        verbose_name_plural = _("volunteer posts")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "municipality"]),
            models.Index(fields=["status", "activity_field"]),
            models.Index(fields=["status", "publish_at"]),
            # Covers the default search's filter and count, so PostgreSQL
            # counts the results from the index without reading the wide
            # post rows. SQLite ignores `include`.
            models.Index(
                fields=["status", "next_session_starts_at"],
                include=["kind", "group", "id"],
                name="post_status_next_session_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_capacity__isnull=True) | Q(monthly_capacity__gte=1),
                name="post_monthly_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        parts = [self.title, self.description, self.tasks, self.place]
        return normalize_search_text(" ".join(part for part in parts if part))

    @property
    def is_year_round(self) -> bool:
        return self.kind == self.Kind.YEAR_ROUND

    @property
    def is_open_for_applications(self) -> bool:
        if self.status != self.Status.PUBLISHED:
            return False
        deadline = self.application_deadline
        return deadline is None or timezone.now() <= deadline


class VolunteerSession(models.Model):
    """One dated occurrence of a post, with its own capacity."""

    post = models.ForeignKey(
        VolunteerPost,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("volunteer post"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1)]
    )
    # People holding a place (pending or confirmed applications). Changed
    # only by volunteering.services while the session row is locked, so the
    # search can filter on free places without counting applications.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0)
    call_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = VolunteerSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer session")
        verbose_name_plural = _("volunteer sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["post", "starts_at"]),
            models.Index(fields=["starts_at", "post"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="session_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.post.title} {local:%Y-%m-%d %H:%M}"

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class PostPhoto(models.Model):
    post = models.ForeignKey(
        VolunteerPost,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("volunteer post"),
    )
    image = models.ImageField(
        _("photo"), upload_to=post_photo_path, validators=[validate_image_upload]
    )
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("Read aloud by screen readers; say what the photo shows."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("post photo")
        verbose_name_plural = _("post photos")

    def __str__(self) -> str:
        return self.alt_text


class PostRevision(models.Model):
    """A change to a published post: which fields, from what, to what."""

    post = models.ForeignKey(
        VolunteerPost,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("volunteer post"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self) -> str:
        return f"{self.post} @ {self.changed_at:%Y-%m-%d %H:%M}"
