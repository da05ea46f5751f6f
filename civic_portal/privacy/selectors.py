"""Reads of everything the portal keeps about one user, by the register.

Only declarations with a subject (a path to the user the data is about)
take part. Each model is read with one query, plus one per many-to-many
field, whatever the number of rows, so the total is bounded by the size
of the register.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from civic_portal.exports import Cell
from civic_portal.privacy.register import REGISTER, DataKind, PersonalDataFile

# The password hash is personal data but is never shown or exported.
SECRET_FIELDS = frozenset({"password"})


@dataclass(frozen=True)
class Column:
    """One exported field: its name and its label in the active language."""

    name: str
    label: str


@dataclass(frozen=True)
class DataSection:
    """The rows of one register declaration that are about one user."""

    entry: PersonalDataFile
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def kind(self) -> DataKind:
        return self.entry.kind

    @property
    def slug(self) -> str:
        return f"{self.entry.model}-{self.entry.kind.key}"


def _exported_fields(
    model: type[models.Model], entry: PersonalDataFile
) -> list[models.Field]:
    return [
        model._meta.get_field(name)  # type: ignore[misc]
        for name in entry.fields
        if name not in SECRET_FIELDS
    ]


def _cell(instance: models.Model, field: models.Field) -> Cell:
    if field.many_to_many:
        related = getattr(instance, field.name).all()
        return ", ".join(str(item) for item in related)
    if field.is_relation:
        target = getattr(instance, field.name)
        return None if target is None else str(target)
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    value: Any = getattr(instance, field.name)
    if isinstance(field, models.FileField):
        return value.name or None
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)


def _subject_filter(entry: PersonalDataFile, user: models.Model) -> dict[str, Any]:
    if entry.subject == "pk":
        return {"pk": user.pk}
    return {entry.subject: user}


def _rows_by_model(user: models.Model) -> dict[str, list[models.Model]]:
    """Read each model that has data about *user* once, with its relations."""
    entries_by_model: dict[str, list[PersonalDataFile]] = {}
    for entry in REGISTER:
        if entry.subject:
            entries_by_model.setdefault(entry.model, []).append(entry)

    rows: dict[str, list[models.Model]] = {}
    for label, entries in entries_by_model.items():
        model = entries[0].model_class
        fields = [
            field for entry in entries for field in _exported_fields(model, entry)
        ]
        foreign_keys = [
            field.name
            for field in fields
            if field.is_relation and not field.many_to_many
        ]
        many_to_many = [Prefetch(field.name) for field in fields if field.many_to_many]
        queryset = (
            model._default_manager.filter(**_subject_filter(entries[0], user))
            .select_related(*foreign_keys)
            .prefetch_related(*many_to_many)
            .order_by("pk")
        )
        rows[label] = list(queryset)
    return rows


# Labels for fields of other packages' models, whose verbose names have no
# Japanese in those packages' catalogs.
FIELD_LABELS = {
    ("otp_totp", "name"): _("authenticator name"),
    ("otp_totp", "confirmed"): _("set up"),
    ("otp_static", "name"): _("backup code set name"),
    ("otp_static", "confirmed"): _("set up"),
}


def _label(field: models.Field) -> str:
    label = FIELD_LABELS.get((field.model._meta.app_label, field.name))
    return str(label if label is not None else field.verbose_name)


def personal_data_of(user: models.Model) -> list[DataSection]:
    """Return a section per register declaration with the rows about *user*.

    Labels are in the active language, so call it inside the request (or
    translation.override) whose language the reader uses.
    """
    instances = _rows_by_model(user)
    sections = []
    for entry in REGISTER:
        if not entry.subject:
            continue
        model = entry.model_class
        fields = _exported_fields(model, entry)
        columns = tuple(Column(field.name, _label(field)) for field in fields)
        rows = tuple(
            tuple(_cell(instance, field) for field in fields)
            for instance in instances[entry.model]
        )
        title = str(model._meta.verbose_name_plural)
        sections.append(DataSection(entry, title, columns, rows))
    return sections
