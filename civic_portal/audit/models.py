"""The append-only log of staff access to other people's personal data.

A row records that one actor saw or exported some fields of one person's
personal data. It stores ids and field names only, never the data itself.
The actor and the subject are plain integers, not foreign keys, so that
deleting or anonymising either account never removes a row.

Rows are append-only at three layers: the model rejects save() on an
existing row and delete(), the queryset rejects update() and delete(), and
database triggers (civic_portal.audit.triggers) reject UPDATE and DELETE.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Field names are stored comma-separated, as "<app>.<Model>.<field>".
FIELD_SEPARATOR = ","


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row of an append-only log."""


def _reject(operation: str) -> NoReturn:
    raise AppendOnlyError(
        f"The personal data access log is append-only: {operation} is not allowed."
    )


class PersonalDataAccessQuerySet(models.QuerySet["PersonalDataAccess"]):
    def update(self, **kwargs: Any) -> NoReturn:
        _reject("update()")

    def delete(self) -> NoReturn:  # type: ignore[override]
        _reject("delete()")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _reject("bulk_update()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _reject("update_or_create()")

    def with_field(self, name: str) -> PersonalDataAccessQuerySet:
        """Return the rows whose field list contains *name* exactly."""
        sep = FIELD_SEPARATOR
        return self.filter(
            Q(fields=name)
            | Q(fields__startswith=name + sep)
            | Q(fields__endswith=sep + name)
            | Q(fields__contains=sep + name + sep)
        )


class PersonalDataAccess(models.Model):
    """One access by one actor to some personal fields of one person."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        EXPORTED = "exported", _("Exported")

    accessed_at = models.DateTimeField(
        _("accessed at"), default=timezone.now, db_index=True
    )
    actor_id = models.PositiveBigIntegerField(_("actor user ID"), db_index=True)
    # A frozen copy of the actor's account flags and role groups at the
    # time of access, such as "superuser,staff,concierge".
    actor_roles = models.CharField(_("actor roles"), max_length=500, blank=True)
    subject_id = models.PositiveBigIntegerField(_("subject user ID"), db_index=True)
    action = models.CharField(
        pgettext_lazy("access log", "action"), max_length=20, choices=Action.choices
    )
    fields = models.CharField(
        _("fields"),
        max_length=2000,
        help_text=_("Field names from the personal-data register, comma-separated."),
    )
    view_name = models.CharField(_("page or export"), max_length=200)
    object_ref = models.CharField(_("object"), max_length=200, blank=True)

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access record")
        verbose_name_plural = _("personal data access records")
        ordering = ["-accessed_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.actor_id} → {self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _reject("save() on an existing row")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _reject("delete()")

    @property
    def field_names(self) -> list[str]:
        return self.fields.split(FIELD_SEPARATOR) if self.fields else []
