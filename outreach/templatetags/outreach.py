"""Template tags for share metadata, feed links and flyer links."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse

from groups.models import Event
from outreach.permissions import can_print_event_flyer, can_print_post_flyer
from outreach.share import meta_for
from volunteering.models import VolunteerPost

register = template.Library()

MUNICIPALITY_CODE = re.compile(r"[0-9]{5}")
FIELD_NUMBER = re.compile(r"[0-9]{1,2}")


@register.inclusion_tag("outreach/share_meta.html")
def share_meta(obj: object) -> dict[str, Any]:
    """Render the Open Graph and Twitter card tags of a post, event or group."""
    return {"meta": meta_for(obj)}


@register.inclusion_tag("outreach/flyer_links.html", takes_context=True)
def flyer_links(
    context: template.Context, obj: VolunteerPost | Event
) -> dict[str, Any]:
    """Render the flyer links of a post or event for those who may print it."""
    user = context["request"].user
    if isinstance(obj, VolunteerPost):
        allowed = can_print_post_flyer(user, obj)
        names = ("outreach:post_flyer", "outreach:post_flyer_pdf")
    else:
        allowed = can_print_event_flyer(user, obj)
        names = ("outreach:event_flyer", "outreach:event_flyer_pdf")
    return {
        "allowed": allowed,
        "pk": obj.pk,
        "html_name": names[0],
        "pdf_name": names[1],
    }


@register.simple_tag
def search_feed_url(query: QueryDict) -> str:
    """Return the feed that follows a search's municipality or field filter.

    Feeds exist per municipality and per field, not per pair, so a search
    with both filters, or with neither, gets the feed of all posts. The
    value's shape is checked without a query, and the feed returns 404
    for an unknown code or number.
    """
    municipality = query.get("municipality", "")
    field = query.get("field", "")
    if municipality and not field and MUNICIPALITY_CODE.fullmatch(municipality):
        return reverse("outreach:municipality_post_feed", args=[municipality])
    if field and not municipality and FIELD_NUMBER.fullmatch(field):
        return reverse("outreach:field_post_feed", args=[int(field)])
    return reverse("outreach:post_feed")
