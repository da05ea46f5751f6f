"""Atom feeds of new volunteer posts, events and grant notices.

Every link and id is an absolute URL built from settings.SITE_URL, so a
feed relayed to social media points at the public address whatever host
name the request came in on. Titles and summaries are in the language of
the request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN
from civic_portal.tasks import site_url
from groups.models import ActivityField, Event, GrantNotice, Municipality
from outreach import selectors
from volunteering.models import VolunteerPost

# Summaries are cut to this many characters, and the entry links to the
# full page.
SUMMARY_MAX_CHARS = 300


def _summary(facts: list[str], text: str) -> str:
    """Return an HTML summary: each fact as a paragraph, then *text* shortened."""
    paragraphs = [f"<p>{escape(fact)}</p>" for fact in facts if fact]
    paragraphs.append(linebreaks(Truncator(text).chars(SUMMARY_MAX_CHARS)))
    return "".join(paragraphs)


def _japan_time(moment: dt.datetime) -> str:
    return date_format(localtime(moment, JAPAN), "Y-m-d H:i")


class PortalFeed(Feed):
    """An Atom feed whose author is the portal and whose id is its own URL."""

    feed_type = Atom1Feed
    url_name = ""

    def feed_url(self, obj: Any) -> str:
        args = self.url_args(obj)
        return site_url(f"outreach:{self.url_name}", *args)

    def feed_guid(self, obj: Any) -> str:
        return self.feed_url(obj)

    def url_args(self, obj: Any) -> list[object]:
        return []

    def author_name(self) -> str:
        return _("Yamaguchi Civic Activity Portal")

    def author_link(self) -> str:
        return site_url("home")


class PostFeed(PortalFeed):
    """New volunteer posts of every municipality and activity field."""

    url_name = "post_feed"

    def filter_kwargs(self, obj: Any) -> dict[str, Any]:
        """Return the keyword arguments of selectors.feed_posts for *obj*."""
        return {}

    def search_query(self, obj: Any) -> dict[str, str]:
        """Return the search filters that list the same posts as the feed."""
        return {}

    def title(self, obj: Any) -> str:
        return _("New volunteer posts")

    def subtitle(self, obj: Any) -> str:
        return _("Calls for volunteers from civic groups in Yamaguchi Prefecture.")

    def link(self, obj: Any) -> str:
        query = self.search_query(obj)
        url = site_url("volunteering:search")
        return f"{url}?{urlencode(query)}" if query else url

    def items(self, obj: Any) -> list[VolunteerPost]:
        return selectors.feed_posts(**self.filter_kwargs(obj))

    def item_title(self, item: VolunteerPost) -> str:
        return item.title

    def item_description(self, item: VolunteerPost) -> str:
        place = _("Online") if item.is_online else item.place or str(item.municipality)
        facts = [
            _("Civic group: %(name)s") % {"name": item.group.name},
            _("Place: %(place)s") % {"place": place},
            _("Activity field: %(field)s") % {"field": item.activity_field},
        ]
        return _summary(facts, item.description)

    def item_link(self, item: VolunteerPost) -> str:
        return site_url("volunteering:post_detail", item.pk)

    def item_pubdate(self, item: VolunteerPost) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: VolunteerPost) -> dt.datetime:
        # Rows written outside the services (the admin, demo data) can
        # have a published_at later than updated_at, and the later is the
        # last change.
        if item.published_at and item.published_at > item.updated_at:
            return item.published_at
        return item.updated_at

    def item_author_name(self, item: VolunteerPost) -> str:
        return item.group.name

    def item_author_link(self, item: VolunteerPost) -> str:
        return site_url("groups:detail", item.group_id)

    def item_categories(self, item: VolunteerPost) -> list[str]:
        return [str(item.activity_field), str(item.municipality)]


class MunicipalityPostFeed(PostFeed):
    """New volunteer posts in one municipality, chosen by its 5-digit code."""

    url_name = "municipality_post_feed"

    def get_object(self, request: HttpRequest, code: str) -> Municipality:
        return selectors.municipality_or_404(code)

    def url_args(self, obj: Municipality) -> list[object]:
        return [obj.code]

    def filter_kwargs(self, obj: Municipality) -> dict[str, Any]:
        return {"municipality": obj}

    def search_query(self, obj: Municipality) -> dict[str, str]:
        return {"municipality": obj.code}

    def title(self, obj: Municipality) -> str:
        return _("New volunteer posts in %(municipality)s") % {
            "municipality": municipality_full_name(obj)
        }


def municipality_full_name(municipality: Municipality) -> str:
    """Return the name with its kind in English, such as "Yamaguchi City".

    The bare English name of Yamaguchi City is also the prefecture's name.
    The Japanese name already ends in 市 or 町, so it is returned as is.
    """
    if get_language() == "en" and municipality.name_en:
        return f"{municipality.name_en} {municipality.get_kind_display()}"
    return municipality.name


class FieldPostFeed(PostFeed):
    """New volunteer posts in one activity field, chosen by its NPO Act number."""

    url_name = "field_post_feed"

    def get_object(self, request: HttpRequest, number: int) -> ActivityField:
        return selectors.activity_field_or_404(number)

    def url_args(self, obj: ActivityField) -> list[object]:
        return [obj.number]

    def filter_kwargs(self, obj: ActivityField) -> dict[str, Any]:
        return {"field": obj}

    def search_query(self, obj: ActivityField) -> dict[str, str]:
        return {"field": str(obj.number)}

    def title(self, obj: ActivityField) -> str:
        return _("New volunteer posts: %(field)s") % {"field": obj}


class EventFeed(PortalFeed):
    """Upcoming events of public groups, the most recently announced first."""

    url_name = "event_feed"

    def title(self) -> str:
        return _("Events of civic groups")

    def subtitle(self) -> str:
        return _("Upcoming events of civic groups in Yamaguchi Prefecture.")

    def link(self) -> str:
        return site_url("groups:event_list")

    def items(self) -> list[Event]:
        return selectors.feed_events()

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        if item.is_online:
            place = _("Online")
        else:
            place = item.place or str(item.municipality or "")
        facts = [
            _("Date: %(start)s to %(end)s (Japan time)")
            % {"start": _japan_time(item.starts_at), "end": _japan_time(item.ends_at)},
            _("Place: %(place)s") % {"place": place} if place else "",
            _("Civic group: %(name)s") % {"name": item.group.name},
        ]
        return _summary(facts, item.description)

    def item_link(self, item: Event) -> str:
        return site_url("groups:event_detail", item.pk)

    def item_pubdate(self, item: Event) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Event) -> str:
        return item.group.name

    def item_author_link(self, item: Event) -> str:
        return site_url("groups:detail", item.group_id)

    def item_categories(self, item: Event) -> list[str]:
        return [str(field) for field in item.activity_fields.all()]


class GrantFeed(PortalFeed):
    """Published grant notices, the most recently added first."""

    url_name = "grant_feed"

    def title(self) -> str:
        return _("Grants and subsidies")

    def subtitle(self) -> str:
        return _("Grants and subsidies for civic groups, announced by the centres.")

    def link(self) -> str:
        return site_url("groups:grant_list")

    def items(self) -> list[GrantNotice]:
        return selectors.feed_grants()

    def item_title(self, item: GrantNotice) -> str:
        return item.title

    def item_description(self, item: GrantNotice) -> str:
        facts = [
            _("Funder: %(funder)s") % {"funder": item.funder},
            _("Amount: %(amount)s") % {"amount": item.amount},
            _("Application deadline: %(deadline)s (Japan time)")
            % {"deadline": _japan_time(item.deadline)},
        ]
        return _summary(facts, item.description)

    def item_link(self, item: GrantNotice) -> str:
        return site_url("groups:grant_detail", item.pk)

    def item_pubdate(self, item: GrantNotice) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: GrantNotice) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: GrantNotice) -> str:
        return item.funder

    def item_categories(self, item: GrantNotice) -> list[str]:
        return [str(field) for field in item.eligible_fields.all()]
