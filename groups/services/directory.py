"""Rules of the public directory: the disclosure level and confirming a profile.

The disclosure level shows visitors how complete a group's public profile
is. It counts these public items, each filled or missing:

- name reading, representative, a public e-mail address or phone,
  address, founding date, number of members, at least one activity field,
  description, and a website or social media link;
- the corporate number, for corporations only.

Level A: every counted item is filled. Level B: at least 70% are filled.
Level C: fewer. The private contact (contact person, e-mail, phone) is never
counted, so the level reveals nothing about it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.models import User
from groups.models import CivicGroup

logger = logging.getLogger(__name__)

# Share of the counted items that level B needs, in percent.
LEVEL_B_MIN_PERCENT = 70


@dataclass(frozen=True)
class DisclosureItem:
    key: str
    label: str | Promise
    is_filled: Callable[[CivicGroup], bool]
    applies_to: Callable[[CivicGroup], bool] = lambda group: True


def _has_activity_fields(group: CivicGroup) -> bool:
    # Reads the prefetched rows when the caller prefetched them.
    return len(group.activity_fields.all()) > 0


DISCLOSURE_ITEMS: tuple[DisclosureItem, ...] = (
    DisclosureItem("name_kana", _("Name reading"), lambda g: bool(g.name_kana)),
    DisclosureItem(
        "representative", _("Representative"), lambda g: bool(g.representative)
    ),
    DisclosureItem(
        "public_contact",
        _("Public e-mail address or phone"),
        lambda g: bool(g.public_email or g.public_phone),
    ),
    DisclosureItem("address", _("Address"), lambda g: bool(g.address)),
    DisclosureItem(
        "founded_on", _("Founding date"), lambda g: g.founded_on is not None
    ),
    DisclosureItem(
        "member_count", _("Number of members"), lambda g: g.member_count is not None
    ),
    DisclosureItem("activity_fields", _("Activity fields"), _has_activity_fields),
    DisclosureItem(
        "description", _("Description"), lambda g: bool(g.description.strip())
    ),
    DisclosureItem(
        "links",
        _("Website or social media link"),
        lambda g: bool(g.website or g.social_links),
    ),
    DisclosureItem(
        "corporate_number",
        _("Corporate number"),
        lambda g: bool(g.corporate_number),
        applies_to=lambda g: g.is_corporation,
    ),
)


@dataclass(frozen=True)
class Disclosure:
    """The completeness of a group's public profile."""

    level: str
    filled_count: int
    total_count: int
    missing: tuple[DisclosureItem, ...]

    @property
    def percent(self) -> int:
        return self.filled_count * 100 // self.total_count


def disclosure_of(group: CivicGroup) -> Disclosure:
    """Return the disclosure level of *group* with the items it misses.

    Prefetch `activity_fields` when calling this for many groups.
    """
    items = [item for item in DISCLOSURE_ITEMS if item.applies_to(group)]
    missing = tuple(item for item in items if not item.is_filled(group))
    filled = len(items) - len(missing)
    if not missing:
        level = "A"
    elif filled * 100 >= len(items) * LEVEL_B_MIN_PERCENT:
        level = "B"
    else:
        level = "C"
    return Disclosure(
        level=level,
        filled_count=filled,
        total_count=len(items),
        missing=missing,
    )


def confirm_information(group: CivicGroup, *, by: User, at: dt.datetime) -> None:
    """Record that the group's staff confirmed its information is current."""
    CivicGroup.objects.filter(pk=group.pk).update(info_confirmed_at=at)
    group.info_confirmed_at = at
    logger.info("Group %s information confirmed by user %s", group.pk, by.pk)


def social_link_urls(group: CivicGroup) -> list[str]:
    """Return the group's social media links that are http or https URLs.

    An entry is a URL string or a mapping with a "url" key. Other schemes
    (javascript:, data:) are dropped, so a page can link every URL it gets.
    """
    urls = []
    for entry in group.social_links or []:
        url = entry.get("url") if isinstance(entry, dict) else entry
        if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
            urls.append(url)
    return urls


def last_confirmed_at(group: CivicGroup) -> dt.datetime | None:
    """Return when the information was last confirmed, counting the approval."""
    return group.info_confirmed_at or group.approved_at
