"""Pages where group staff manage their posts: the list, editing, status.

Every view fetches through volunteering.permissions, so staff of one
group get 404 for another group's objects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.views import (
    attach_errors,
    log_rejection,  # noqa: F401 (staff_attendance imports it from here)
    message_errors,
    signed_in_user,
)
from volunteering.forms import PhotoForm, PostForm, PostScheduleForm
from volunteering.models import VolunteerPost, VolunteerSession
from volunteering.permissions import (
    get_photo_for_staff,
    get_post_for_staff,
    managed_groups,
)
from volunteering.services import posts as post_services
from volunteering.services import sessions as session_services

logger = logging.getLogger(__name__)

T = TypeVar("T")


def redirect_to_next(request: HttpRequest, default_url: str) -> HttpResponse:
    """Redirect to the form's `next` page if it is on this site, else *default_url*."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default_url)


def call_service(
    request: HttpRequest,
    service: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    form: BaseForm | None = None,
) -> bool:
    """Call *service* and show the outcome as messages or form errors.

    Returns True when the service succeeded, after adding the message
    *success*, or *success* applied to the service's result. A
    ValidationError from the service goes onto *form*, so what the user
    typed stays on the page, or without a form into error messages for the
    next page.
    """
    try:
        result = service()
    except ValidationError as error:
        if form is None:
            message_errors(request, error)
        else:
            attach_errors(request, form, error)
        return False
    messages.success(request, success if isinstance(success, str) else success(result))
    return True


@login_required
def staff_posts(request: HttpRequest) -> HttpResponse:
    """List the posts of every group the user is staff of."""
    groups = list(managed_groups(request.user))
    if not groups:
        return render(request, "volunteering/staff/no_groups.html")

    now = timezone.now()
    next_session = (
        VolunteerSession.objects.filter(post=OuterRef("pk"), starts_at__gt=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    posts = (
        VolunteerPost.objects.filter(group__in=groups)
        .annotate(
            next_session_at=Subquery(next_session),
            pending_count=Count(
                "applications", filter=Q(applications__status="pending")
            ),
        )
        .order_by("group_id", "-updated_at", "-pk")
    )
    posts_by_group: dict[int, list[VolunteerPost]] = {g.pk: [] for g in groups}
    for post in posts:
        posts_by_group[post.group_id].append(post)
    sections = [(group, posts_by_group[group.pk]) for group in groups]
    return render(request, "volunteering/staff/post_list.html", {"sections": sections})


@login_required
def staff_post_create(request: HttpRequest) -> HttpResponse:
    groups = managed_groups(request.user)
    if not groups.exists():
        return render(request, "volunteering/staff/no_groups.html")
    form = PostForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            post = post_services.post_create(
                group=form.cleaned_data["group"],
                created_by=signed_in_user(request),
                fields=form.post_fields(),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The draft post was saved."))
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return render(
        request, "volunteering/staff/post_form.html", {"form": form, "post": None}
    )


@login_required
def staff_post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        # The bound form already copied the values onto its instance, so
        # the service compares against a fresh copy of the row.
        update = partial(
            post_services.post_update,
            post_id=post.pk,
            changed_by=signed_in_user(request),
            fields=form.post_fields(),
        )
        if call_service(request, update, success=_("The post was saved."), form=form):
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return render(
        request, "volunteering/staff/post_form.html", {"form": form, "post": post}
    )


def _render_post_detail(
    request: HttpRequest,
    post: VolunteerPost,
    *,
    schedule_form: PostScheduleForm | None = None,
    photo_form: PhotoForm | None = None,
) -> HttpResponse:
    # Meta.ordering does not apply to a query with aggregates, so order here.
    sessions = list(
        post.sessions.annotate(
            pending_count=Count(
                "applications", filter=Q(applications__status="pending")
            ),
            waitlisted_count=Count(
                "applications", filter=Q(applications__status="waitlisted")
            ),
            confirmed_people=Coalesce(
                Sum(
                    "applications__party_size",
                    filter=Q(applications__status="confirmed"),
                ),
                0,
            ),
        ).order_by("starts_at", "pk")
    )
    now = timezone.now()
    # Each session with the reason a call cannot be sent now, or None.
    session_rows = [
        (session, session_services.call_unavailable_reason(session, now=now))
        for session in sessions
    ]
    context = {
        "post": post,
        "sessions": session_rows,
        "photos": post.photos.all(),
        "reports": post.reports.select_related("session"),
        "schedule_form": schedule_form or PostScheduleForm(),
        "photo_form": photo_form or PhotoForm(),
        "max_photos": post_services.MAX_PHOTOS_PER_POST,
        "now": now,
    }
    return render(request, "volunteering/staff/post_detail.html", context)


@login_required
def staff_post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    return _render_post_detail(request, post)


@login_required
@require_POST
def staff_post_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one status change: publish, schedule, unschedule or close."""
    post = get_post_for_staff(request.user, pk)
    action = request.POST.get("action", "")
    user = signed_in_user(request)
    if action == "schedule":
        return _schedule(request, post)
    try:
        if action == "publish":
            post_services.post_publish(post_id=post.pk, published_by=user)
            messages.success(request, _("The post is published."))
        elif action == "unschedule":
            post_services.post_unschedule(post_id=post.pk, changed_by=user)
            messages.success(request, _("The post is a draft again."))
        elif action == "close":
            post_services.post_close(post_id=post.pk, closed_by=user)
            messages.success(request, _("The post is closed to new applications."))
        else:
            messages.error(request, _("Unknown action. Use one of the buttons."))
    except ValidationError as error:
        message_errors(request, error)
    return redirect("volunteering:staff_post_detail", pk=post.pk)


def _schedule(request: HttpRequest, post: VolunteerPost) -> HttpResponse:
    form = PostScheduleForm(request.POST)
    if form.is_valid():
        schedule = partial(
            post_services.post_schedule,
            post_id=post.pk,
            publish_at=form.cleaned_data["publish_at"],
            scheduled_by=signed_in_user(request),
        )
        if call_service(
            request, schedule, success=_("The post is scheduled."), form=form
        ):
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return _render_post_detail(request, post, schedule_form=form)


def _history_text(field_name: str, value: object) -> str:
    """Return a stored history value as text in the reader's language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    try:
        field = VolunteerPost._meta.get_field(field_name)
    except FieldDoesNotExist:
        return str(value)
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))


def _field_label(field_name: str) -> str:
    try:
        field = VolunteerPost._meta.get_field(field_name)
    except FieldDoesNotExist:
        return field_name
    return str(getattr(field, "verbose_name", field_name))


@login_required
def staff_post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    revisions = [
        (
            revision,
            [
                (
                    _field_label(name),
                    _history_text(name, change.get("old")),
                    _history_text(name, change.get("new")),
                )
                for name, change in revision.changes.items()
            ],
        )
        for revision in post.revisions.select_related("changed_by")
    ]
    return render(
        request,
        "volunteering/staff/post_history.html",
        {"post": post, "revisions": revisions},
    )


@login_required
@require_POST
def staff_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        add = partial(
            post_services.post_photo_add,
            post_id=post.pk,
            image=form.cleaned_data["image"],
            alt_text=form.cleaned_data["alt_text"],
            added_by=signed_in_user(request),
        )
        if call_service(request, add, success=_("The photo was added."), form=form):
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return _render_post_detail(request, post, photo_form=form)


@login_required
@require_POST
def staff_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_photo_for_staff(request.user, pk)
    post_services.post_photo_delete(
        photo_id=photo.pk, deleted_by=signed_in_user(request)
    )
    messages.success(request, _("The photo was deleted."))
    return redirect("volunteering:staff_post_detail", pk=photo.post_id)
