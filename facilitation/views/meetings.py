"""Information-sharing meeting pages and their iCalendar exports.

The chief facilitator schedules and edits, and attendees and action-item
owners read. A meeting the user may not read is not found (404). A step
reserved for the chief facilitator is forbidden (403) to other readers.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.accounts.models import User
from civic_portal.views import attach_errors, message_errors, signed_in_user
from facilitation.forms_meetings import (
    ActionItemForm,
    ItemDoneForm,
    MeetingEditForm,
    MeetingForm,
    RescheduleForm,
    SeriesForm,
)
from facilitation.models import ActionItem, CollaborationCase, Meeting, MeetingSeries
from facilitation.permissions import (
    can_read_every_case,
    is_chief_facilitator,
    is_facilitator,
)
from facilitation.services import meetings as meeting_services

logger = logging.getLogger(__name__)

MEETINGS_PER_PAGE = 30
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _require_chief(user: User) -> None:
    if not is_chief_facilitator(user):
        raise PermissionDenied


def _readable_meeting(user: User, pk: int) -> Meeting:
    return get_object_or_404(
        meeting_services.visible_meetings(user).select_related("series"), pk=pk
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    meetings = meeting_services.visible_meetings(user)
    has_role = is_facilitator(user) or can_read_every_case(user)
    if not has_role and not meetings.exists():
        raise PermissionDenied
    now = timezone.now()
    upcoming = meetings.filter(ends_at__gte=now).select_related("series")
    past = meetings.filter(ends_at__lt=now).select_related("series")
    page = Paginator(past.order_by("-starts_at", "-pk"), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "upcoming": upcoming.order_by("starts_at", "pk")[:MEETINGS_PER_PAGE],
        "page": page,
        "series_list": meeting_services.visible_series(user).order_by("-starts_on"),
        "my_items": ActionItem.objects.filter(owner=user, done=False)
        .select_related("meeting")
        .order_by("due_on", "pk"),
        "is_chief": is_chief_facilitator(user),
        "today": timezone.localdate(),
    }
    return render(request, "facilitation/meetings/list.html", context)


@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require_chief(user)
    form = SeriesForm(
        request.POST or None, attendee_choices=meeting_services.attendee_choices()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attendees = data.pop("attendees")
        try:
            series = meeting_services.schedule_series(
                user, meeting_services.SeriesPlan(**data), attendees
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("The series was scheduled with %(count)d meetings.")
                % {"count": series.meetings.count()},
            )
            return redirect("facilitation:series_detail", series.pk)
    return render(request, "facilitation/meetings/series_form.html", {"form": form})


def _readable_series(user: User, pk: int) -> MeetingSeries:
    return get_object_or_404(meeting_services.visible_series(user), pk=pk)


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    series = _readable_series(user, pk)
    context = {
        "series": series,
        "meetings": series.meetings.order_by("starts_at", "pk"),
        "attendees": series.attendees.select_related("user"),
    }
    return render(request, "facilitation/meetings/series_detail.html", context)


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def series_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    series = _readable_series(user, pk)
    body = meeting_services.build_meetings_calendar(
        series.meetings.order_by("starts_at", "pk"), series.title
    )
    return _calendar_response(body, f"meeting-series-{series.pk}.ics")


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require_chief(user)
    form = MeetingForm(
        request.POST or None, attendee_choices=meeting_services.attendee_choices()
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.create_meeting(user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The meeting was scheduled."))
            return redirect("facilitation:meeting_detail", meeting.pk)
    return render(request, "facilitation/meetings/form.html", {"form": form})


def _action_form(meeting: Meeting, data: dict | None = None) -> ActionItemForm:
    return ActionItemForm(
        data,
        owners=meeting_services.owner_choices(meeting),
        cases=CollaborationCase.objects.order_by("title"),
        prefix="item",
    )


def _meeting_page(
    request: HttpRequest, meeting: Meeting, action_form: ActionItemForm | None = None
) -> HttpResponse:
    user = signed_in_user(request)
    chief = is_chief_facilitator(user)
    items = meeting.action_items.select_related("owner", "case")
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("user"),
        # (item, whether the user may mark it done), as can_update_item rules.
        "items": [(item, chief or item.owner_id == user.pk) for item in items],
        "is_chief": chief,
        "action_form": action_form or (_action_form(meeting) if chief else None),
        "today": timezone.localdate(),
    }
    return render(request, "facilitation/meetings/detail.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    return _meeting_page(request, _readable_meeting(user, pk))


@login_required
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _readable_meeting(user, pk)
    body = meeting_services.build_meetings_calendar([meeting], meeting.title)
    return _calendar_response(body, f"meeting-{meeting.pk}.ics")


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _readable_meeting(user, pk)
    _require_chief(user)
    form = MeetingEditForm(
        request.POST or None,
        instance=meeting,
        attendee_choices=meeting_services.attendee_choices(),
        initial={"attendees": list(meeting.attendees.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.update_meeting(meeting, user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("facilitation:meeting_detail", meeting.pk)
    return render(
        request,
        "facilitation/meetings/form.html",
        {"form": form, "meeting": meeting},
    )


@login_required
@require_POST
def meeting_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _readable_meeting(user, pk)
    _require_chief(user)
    meeting_services.redraft_agenda(meeting, user)
    messages.success(request, _("The agenda was drafted again."))
    return redirect("facilitation:meeting_detail", meeting.pk)


@login_required
@require_POST
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _readable_meeting(user, pk)
    _require_chief(user)
    form = _action_form(meeting, request.POST)
    if form.is_valid():
        try:
            meeting_services.add_action_item(meeting, user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The action item was added."))
            return redirect("facilitation:meeting_detail", meeting.pk)
    return _meeting_page(request, meeting, action_form=form)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    item = get_object_or_404(
        ActionItem.objects.filter(meeting__in=meeting_services.visible_meetings(user)),
        pk=pk,
    )
    form = ItemDoneForm(request.POST)
    if not meeting_services.can_update_item(user, item):
        raise PermissionDenied
    if form.is_valid():
        try:
            meeting_services.set_item_done(item, user, form.cleaned_data["done"])
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is marked done.") % {"title": item.title}
                if item.done
                else _("“%(title)s” is marked not done.") % {"title": item.title},
            )
    return redirect("facilitation:meeting_detail", item.meeting_id)


@login_required
@require_POST
def action_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    item = get_object_or_404(
        ActionItem.objects.filter(meeting__in=meeting_services.visible_meetings(user)),
        pk=pk,
    )
    _require_chief(user)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        meeting_services.reschedule_item(item, user, form.cleaned_data["due_on"])
        messages.success(
            request,
            _("“%(title)s” is now due on %(date)s.")
            % {
                "title": item.title,
                "date": date_format(item.due_on, "DATE_FORMAT"),
            },
        )
    else:
        messages.error(request, _("Enter a valid new due date."))
    return redirect("facilitation:meeting_detail", item.meeting_id)
