from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from civic_portal.types import AnyUser


class VolunteerPostQuerySet(models.QuerySet):
    def published(self) -> VolunteerPostQuerySet:
        """Posts the public can see: published by a public group."""
        return self.filter(
            status="published",
            group__review_status="approved",
        ).exclude(group__status="dissolved")

    def readable_by(self, user: AnyUser) -> VolunteerPostQuerySet:
        """Posts whose page *user* may open.

        Everyone reads published posts. An applicant keeps reading a post
        they applied to after it is closed (links in their applications,
        hours and calendar feed point there), whatever their application's
        status. Staff of the group read all its posts, drafts included.
        """
        if not user.is_authenticated:
            return self.published()
        applied = self.filter(
            status__in=["published", "closed"], applications__applicant=user
        )
        return self.filter(
            Q(pk__in=self.published().values("pk"))
            | Q(pk__in=applied.values("pk"))
            | Q(pk__in=self.managed_by(user).values("pk"))
        )

    def managed_by(self, user: AnyUser) -> VolunteerPostQuerySet:
        """Posts of the groups that *user* is staff of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(group__memberships__user=user)

    def due_for_publishing(self) -> VolunteerPostQuerySet:
        return self.filter(status="scheduled", publish_at__lte=timezone.now())


class VolunteerSessionQuerySet(models.QuerySet):
    def upcoming(self) -> VolunteerSessionQuerySet:
        return self.filter(starts_at__gt=timezone.now())

    def with_free_places(self) -> VolunteerSessionQuerySet:
        return self.filter(places_taken__lt=F("capacity"))


class ApplicationQuerySet(models.QuerySet):
    def holding_places(self) -> ApplicationQuerySet:
        return self.filter(status__in=["pending", "confirmed"])

    def active(self) -> ApplicationQuerySet:
        return self.filter(status__in=["pending", "waitlisted", "confirmed"])

    def matches(self) -> ApplicationQuerySet:
        """Confirmed applications: each person in one is a match.

        A volunteer who cancels before the activity leaves the confirmed
        state, so the cancelled application is no longer a match. A no-show
        stays confirmed and still counts, with zero hours.
        """
        return self.filter(status="confirmed")

    def visible_to(self, user: AnyUser) -> ApplicationQuerySet:
        """Return the applicant's own applications and those to their groups' posts."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(applicant=user) | Q(post__group__memberships__user=user)
        ).distinct()
