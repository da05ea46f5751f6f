"""Open Graph and Twitter card metadata, and the text of the card images.

Every URL in the metadata is absolute and built from settings.SITE_URL,
because crawlers of social networks resolve nothing relative. The image
is the post's first photo where it has one, else the generated card.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN
from civic_portal.tasks import site_url
from groups.models import CivicGroup, Event
from outreach.cards import CARD_HEIGHT, CARD_WIDTH, CardText
from outreach.selectors import first_photo
from volunteering.models import VolunteerPost

# Social networks cut longer descriptions anyway.
DESCRIPTION_MAX_CHARS = 200

OG_LOCALES = {"ja": "ja_JP", "en": "en_US"}


@dataclass(frozen=True)
class ShareMeta:
    """The values of the og:* and twitter:* meta tags of one page."""

    title: str
    description: str
    url: str
    type: str
    image_url: str
    image_alt: str
    # Known only for generated cards, because photos come in any size.
    image_width: int | None
    image_height: int | None
    locale: str
    alternate_locales: list[str]
    site_name: str


def post_meta(post: VolunteerPost) -> ShareMeta:
    photo = first_photo(post)
    if photo is not None:
        image_url, image_alt = absolute_url(photo.image.url), photo.alt_text
    else:
        image_url = _card_url("outreach:post_card", post.pk, post.updated_at)
        image_alt = post.title
    return _meta(
        title=post.title,
        description=post.description,
        url=site_url("volunteering:post_detail", post.pk),
        og_type="article",
        image_url=image_url,
        image_alt=image_alt,
        card=photo is None,
    )


def event_meta(event: Event) -> ShareMeta:
    description = f"{event_when(event)} {event.description}"
    if event.status == Event.Status.CANCELLED:
        description = f"{_('This event is cancelled.')} {description}"
    return _meta(
        title=event.title,
        description=description,
        url=site_url("groups:event_detail", event.pk),
        og_type="article",
        image_url=_card_url("outreach:event_card", event.pk, event.updated_at),
        image_alt=event.title,
        card=True,
    )


def group_meta(group: CivicGroup) -> ShareMeta:
    return _meta(
        title=group.name,
        description=group.description or group_byline(group),
        url=site_url("groups:detail", group.pk),
        og_type="website",
        image_url=_card_url("outreach:group_card", group.pk, group.updated_at),
        image_alt=group.name,
        card=True,
    )


def meta_for(obj: object) -> ShareMeta:
    """Return the metadata of a post, event or group page."""
    if isinstance(obj, VolunteerPost):
        return post_meta(obj)
    if isinstance(obj, Event):
        return event_meta(obj)
    if isinstance(obj, CivicGroup):
        return group_meta(obj)
    raise TypeError(f"No share metadata for {type(obj).__name__}.")


def post_card_text(post: VolunteerPost) -> CardText:
    return CardText(
        kind=_("Volunteer post"),
        title=post.title,
        byline=f"{post.group.name} · {post.municipality}",
        site_name=_("Yamaguchi Civic Activity Portal"),
    )


def event_card_text(event: Event) -> CardText:
    place = _("Online") if event.is_online else event.place or event.municipality
    byline = f"{event_when(event)} · {place}" if place else event_when(event)
    is_cancelled = event.status == Event.Status.CANCELLED
    return CardText(
        kind=_("Cancelled event") if is_cancelled else _("Event"),
        title=event.title,
        byline=f"{byline} · {event.group.name}",
        site_name=_("Yamaguchi Civic Activity Portal"),
    )


def group_card_text(group: CivicGroup) -> CardText:
    return CardText(
        kind=_("Civic group"),
        title=group.name,
        byline=group_byline(group),
        site_name=_("Yamaguchi Civic Activity Portal"),
    )


def event_when(event: Event) -> str:
    """Return the event's start in Japan time, such as "2026-12-05 (Sat) 10:00"."""
    start = timezone.localtime(event.starts_at, JAPAN)
    return date_format(start, "Y-m-d (D) H:i")


def group_byline(group: CivicGroup) -> str:
    return f"{group.get_legal_form_display()} · {group.municipality}"


def absolute_url(url: str) -> str:
    """Return *url* as is when absolute, else prefixed with SITE_URL."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def _card_url(url_name: str, pk: int, updated_at: dt.datetime) -> str:
    # The version parameter changes with every edit, so networks that
    # cache images by URL fetch the new card. The card view ignores it.
    return f"{site_url(url_name, pk)}?v={int(updated_at.timestamp())}"


def _meta(
    *,
    title: str,
    description: str,
    url: str,
    og_type: str,
    image_url: str,
    image_alt: str,
    card: bool,
) -> ShareMeta:
    language = get_language() or settings.LANGUAGE_CODE
    locale = OG_LOCALES.get(language[:2], OG_LOCALES["ja"])
    text = " ".join(description.split())
    return ShareMeta(
        title=title,
        description=Truncator(text).chars(DESCRIPTION_MAX_CHARS),
        url=url,
        type=og_type,
        image_url=image_url,
        image_alt=image_alt,
        image_width=CARD_WIDTH if card else None,
        image_height=CARD_HEIGHT if card else None,
        locale=locale,
        alternate_locales=[value for value in OG_LOCALES.values() if value != locale],
        site_name=_("Yamaguchi Civic Activity Portal"),
    )
