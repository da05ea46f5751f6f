"""Template tags for share metadata, feed links and flyer links."""

from __future__ import annotations

from typing import Any

from django import template

from groups.models import Event
from outreach.permissions import can_print_event_flyer, can_print_post_flyer
from outreach.share import meta_for
from volunteering.models import VolunteerPost

register = template.Library()


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
