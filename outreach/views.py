"""Pages of the outreach app: the feed list, card images and flyers."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from groups.models import ActivityField, Event, Municipality
from groups.selectors_directory import public_group
from groups.selectors_events import event_for_viewer
from outreach import cards, flyers, selectors, share
from outreach.permissions import (
    can_print_event_flyer,
    can_print_post_flyer,
    is_public_event,
)
from volunteering.selectors import is_public, post_for_viewer

logger = logging.getLogger(__name__)

# Crawlers and browsers may keep a card this long. After an edit the
# page's meta tag names a new URL, so the old copy is not shown.
CARD_MAX_AGE = 24 * 60 * 60


def feed_index(request: HttpRequest) -> HttpResponse:
    """List every Atom feed, with one per municipality and activity field."""
    context = {
        "municipalities": Municipality.objects.order_by("code"),
        "fields": ActivityField.objects.order_by("number"),
        "max_entries": selectors.FEED_MAX_ENTRIES,
    }
    return render(request, "outreach/feed_index.html", context)


def post_card(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.public_post(pk)
    key = cards.cache_key_for(
        "post", post.pk, post.updated_at, post.group.updated_at, language=_language()
    )
    return _png_response(cards.card_png(key, share.post_card_text(post)))


def event_card(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.public_event(pk)
    # Cancelling saves the event, so updated_at also covers the status.
    key = cards.cache_key_for(
        "event",
        event.pk,
        event.updated_at,
        event.group.updated_at,
        language=_language(),
    )
    return _png_response(cards.card_png(key, share.event_card_text(event)))


def group_card(request: HttpRequest, pk: int) -> HttpResponse:
    group = public_group(pk)
    key = cards.cache_key_for("group", group.pk, group.updated_at, language=_language())
    return _png_response(cards.card_png(key, share.group_card_text(group)))


@login_required
def post_flyer(request: HttpRequest, pk: int) -> HttpResponse:
    flyer = _post_flyer_for(request, pk)
    if isinstance(flyer, HttpResponse):
        return flyer
    return _html_response(flyer, reverse("outreach:post_flyer_pdf", args=[pk]))


@login_required
def post_flyer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    flyer = _post_flyer_for(request, pk)
    if isinstance(flyer, HttpResponse):
        return flyer
    return _pdf_response(flyers.render_flyer_pdf(flyer), f"post-{pk}-flyer.pdf")


@login_required
def event_flyer(request: HttpRequest, pk: int) -> HttpResponse:
    flyer = _event_flyer_for(request, pk)
    if isinstance(flyer, HttpResponse):
        return flyer
    return _html_response(flyer, reverse("outreach:event_flyer_pdf", args=[pk]))


@login_required
def event_flyer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    flyer = _event_flyer_for(request, pk)
    if isinstance(flyer, HttpResponse):
        return flyer
    return _pdf_response(flyers.render_flyer_pdf(flyer), f"event-{pk}-flyer.pdf")


# Flyers are printed only for public posts and events. A flyer of a
# draft, scheduled or closed post, or of a draft or cancelled event,
# would carry a QR code that leads residents to a "not found" page or to
# an activity they can no longer join. Staff print once it is published.


def _post_flyer_for(request: HttpRequest, pk: int) -> flyers.Flyer | HttpResponse:
    """Return the flyer of post *pk*, or a 403 page that says why it is not printed.

    A post the user cannot read is a 404, as on its page. A readable
    post that the user may not print is a 403.
    """
    post = post_for_viewer(request.user, pk)
    if not can_print_post_flyer(request.user, post):
        raise PermissionDenied("Only the group's staff and its centre print flyers.")
    if not is_public(post):
        return _not_public_response(
            request,
            _("This post is not public (its status is: %(status)s).")
            % {"status": post.get_status_display()},
            reverse("volunteering:post_detail", args=[pk]),
        )
    return flyers.post_flyer(post)


def _event_flyer_for(request: HttpRequest, pk: int) -> flyers.Flyer | HttpResponse:
    event = event_for_viewer(request.user, pk)
    if not can_print_event_flyer(request.user, event):
        raise PermissionDenied("Only the group's staff and its centre print flyers.")
    page_url = reverse("groups:event_detail", args=[pk])
    if event.status == Event.Status.CANCELLED:
        return _not_public_response(request, _("This event is cancelled."), page_url)
    if not is_public_event(event):
        return _not_public_response(
            request,
            _("This event is not public (its status is: %(status)s).")
            % {"status": event.get_status_display()},
            page_url,
        )
    return flyers.event_flyer(event)


def _not_public_response(
    request: HttpRequest, reason: str, page_url: str
) -> HttpResponse:
    return render(
        request,
        "outreach/flyer_not_public.html",
        {"reason": reason, "page_url": page_url},
        status=403,
    )


def _language() -> str:
    return get_language() or "ja"


def _png_response(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=CARD_MAX_AGE)
    # The card's words follow the language cookie as well as the header.
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _html_response(flyer: flyers.Flyer, pdf_url: str) -> HttpResponse:
    return HttpResponse(flyers.render_flyer_html(flyer, for_pdf=False, pdf_url=pdf_url))


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
