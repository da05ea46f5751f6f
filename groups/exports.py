"""Columns of the directory export: public ones for everyone, more for centre staff.

PUBLIC_COLUMNS are the facts shown on the public group page. STAFF_COLUMNS
add the private contact and the registration record, for centre staff only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.exports import Cell, export_response
from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup
from groups.services.directory import (
    disclosure_of,
    last_confirmed_at,
    social_link_urls,
)


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[CivicGroup], Cell]


def _activity_fields(group: CivicGroup) -> str:
    return " / ".join(field.localized_name for field in group.activity_fields.all())


def _social_links(group: CivicGroup) -> str:
    return " ".join(social_link_urls(group))


def _last_confirmed_on(group: CivicGroup) -> Cell:
    moment = last_confirmed_at(group)
    return timezone.localdate(moment, JAPAN) if moment else None


PUBLIC_COLUMNS: tuple[Column, ...] = (
    Column(_("ID"), lambda g: g.pk),
    Column(_("Name"), lambda g: g.name),
    Column(_("Name reading"), lambda g: g.name_kana),
    Column(_("Legal form"), lambda g: g.get_legal_form_display()),
    Column(_("Corporate number"), lambda g: g.corporate_number),
    Column(_("Status"), lambda g: g.get_status_display()),
    Column(_("Representative"), lambda g: g.representative),
    Column(_("Public e-mail address"), lambda g: g.public_email),
    Column(_("Public phone"), lambda g: g.public_phone),
    Column(_("Municipality"), lambda g: g.municipality.localized_name),
    Column(_("Postal code"), lambda g: g.postal_code),
    Column(_("Address"), lambda g: g.address),
    Column(_("Founded on"), lambda g: g.founded_on),
    Column(_("Number of members"), lambda g: g.member_count),
    Column(_("Activity fields"), _activity_fields),
    Column(_("Description"), lambda g: g.description),
    Column(_("Website"), lambda g: g.website),
    Column(_("Social media links"), _social_links),
    Column(
        _("Recruiting volunteers now"),
        lambda g: bool(getattr(g, "is_recruiting", False)),
    ),
    Column(_("Wants pro bono help"), lambda g: g.wants_probono),
    Column(_("Registered on"), lambda g: g.registered_on),
    Column(_("Information last confirmed on"), _last_confirmed_on),
    Column(_("Disclosure level"), lambda g: disclosure_of(g).level),
)

STAFF_COLUMNS: tuple[Column, ...] = (
    *PUBLIC_COLUMNS,
    Column(_("Contact person"), lambda g: g.contact_name),
    Column(_("Contact e-mail address"), lambda g: g.contact_email),
    Column(_("Contact phone"), lambda g: g.contact_phone),
    Column(_("Review status"), lambda g: g.get_review_status_display()),
    Column(_("Approved at"), lambda g: g.approved_at),
    Column(_("Conditions declared at"), lambda g: g.declared_conditions_at),
    Column(_("Dissolved on"), lambda g: g.dissolved_on),
    Column(_("Created at"), lambda g: g.created_at),
    Column(_("Updated at"), lambda g: g.updated_at),
)


def directory_export(
    groups: Iterable[CivicGroup], file_format: str, *, with_private: bool
) -> HttpResponse:
    """Return *groups* as a CSV or Excel attachment.

    *groups* comes from selectors_directory.directory_groups(), which adds
    `is_recruiting` and prefetches the activity fields. *with_private*
    adds the private contact: pass it only for centre staff.
    """
    columns = STAFF_COLUMNS if with_private else PUBLIC_COLUMNS
    rows = ([column.value(group) for column in columns] for group in groups)
    today = timezone.localdate(timezone=JAPAN)
    filename = f"civic-groups-{'full-' if with_private else ''}{today:%Y%m%d}"
    return export_response(
        file_format,
        filename=filename,
        header=[str(column.label) for column in columns],
        rows=rows,
    )
