"""Event pages: the public list, an event's page, the iCalendar feed, and
the pages where group staff create, edit, publish and cancel events.

Staff pages fetch through groups.selectors_events, so staff of one group
get 404 for another group's events.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_filters import FilterSet

from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups import selectors_events as selectors
from groups.calendar import build_events_calendar
from groups.filters_events import EventFilter
from groups.forms_events import EventForm
from groups.models import CivicGroup
from groups.services import events as services

logger = logging.getLogger(__name__)

EVENT_PAGE_SIZE = 20


def render_filtered_list(
    request: HttpRequest,
    filterset: FilterSet,
    template: str,
    page_size: int = EVENT_PAGE_SIZE,
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render one page of *filterset*'s rows, or the errors of its form (400)."""
    form = filterset.form
    if form.is_valid():
        page = Paginator(filterset.qs, page_size).get_page(request.GET.get("page"))
    else:
        # Invalid filters would silently widen the list, so show none.
        logger.info("List %s rejected filters: %s", request.path, sorted(form.errors))
        page = None
    filtered = any(value for key, value in request.GET.items() if key != "page")
    return render(
        request,
        template,
        {"form": form, "page": page, "filtered": filtered, **(extra_context or {})},
        status=200 if page is not None else 400,
    )


def event_list(request: HttpRequest) -> HttpResponse:
    """List upcoming public events that match the filters in the query string."""
    filterset = EventFilter(request.GET, queryset=selectors.upcoming_public_events())
    is_group_staff = CivicGroup.objects.managed_by(request.user).exists()
    return render_filtered_list(
        request,
        filterset,
        "groups/events/event_list.html",
        extra_context={"is_group_staff": is_group_staff},
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(request.user, pk)
    return render(
        request,
        "groups/events/event_detail.html",
        {
            "event": event,
            "is_preview": event.status == event.Status.DRAFT,
            "can_manage": event.group.is_staff_member(request.user),
        },
    )


def event_feed(request: HttpRequest) -> HttpResponse:
    """Return the iCalendar feed of upcoming public events."""
    body = build_events_calendar(selectors.feed_events())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


# Staff pages


@login_required
def staff_events(request: HttpRequest) -> HttpResponse:
    """List the events of every group the user is staff of, newest first."""
    if not CivicGroup.objects.managed_by(request.user).exists():
        return render(request, "volunteering/staff/no_groups.html")
    events = selectors.events_managed_by(request.user).order_by("-starts_at", "-pk")
    page = Paginator(events, EVENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "groups/events/staff_events.html", {"page": page})


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    groups = CivicGroup.objects.managed_by(request.user).order_by("name_kana", "name")
    if not groups.exists():
        return render(request, "volunteering/staff/no_groups.html")
    form = EventForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                group=form.cleaned_data["group"],
                created_by=signed_in_user(request),
                fields=form.event_fields(),
                activity_fields=form.cleaned_data["activity_fields"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request, _("The draft event was saved. Publish it when it is ready.")
            )
            return redirect("groups:event_detail", pk=event.pk)
    return render(
        request, "groups/events/event_form.html", {"form": form, "event": None}
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(request.user, pk)
    if event.status == event.Status.CANCELLED:
        messages.error(request, _("This event is cancelled, so it cannot be changed."))
        return redirect("groups:event_detail", pk=event.pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                fields=form.event_fields(),
                activity_fields=form.cleaned_data["activity_fields"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("groups:event_detail", pk=event.pk)
    return render(
        request, "groups/events/event_form.html", {"form": form, "event": event}
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(request.user, pk)
    try:
        services.event_publish(event=event)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The event is published."))
    return redirect("groups:event_detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what cancelling the event does, and cancel it on POST."""
    event = selectors.event_for_staff(request.user, pk)
    if request.method == "GET":
        if event.status == event.Status.CANCELLED:
            return redirect("groups:event_detail", pk=event.pk)
        return render(request, "groups/events/event_cancel.html", {"event": event})
    try:
        services.event_cancel(event=event)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The event is cancelled."))
    return redirect("groups:event_detail", pk=event.pk)
