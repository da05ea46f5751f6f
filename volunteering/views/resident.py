"""Pages for signed-in residents: applying, their applications, hours, calendar.

Every page here shows or changes only the signed-in user's own data;
another resident's application ids return 404.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic_portal.accounts.models import User
from civic_portal.security.ratelimit import rate_limit
from civic_portal.views import log_rejection
from volunteering import selectors
from volunteering.apply_links import ApplyLinkError, read_apply_token
from volunteering.calendar_feed import build_calendar
from volunteering.forms_resident import ApplyForm, HoursForm
from volunteering.hours_record import build_hours_record, format_hours
from volunteering.models import Application, VolunteerSession
from volunteering.services import applications as application_services
from volunteering.services import attendance as attendance_services
from volunteering.services.errors import ApplicationError
from volunteering.views.public import render_post_page

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def signed_in_user(request: HttpRequest) -> User:
    """Return the request's user. Call it only behind a login check."""
    assert isinstance(request.user, User)
    return request.user


def success_message(application: Application) -> str:
    """Return the message that tells the volunteer what happens next."""
    if application.status == Application.Status.CONFIRMED:
        return _("Your application is confirmed. See you at the activity.")
    if application.status == Application.Status.WAITLISTED:
        return _(
            "The activity is full, so you are on the waitlist. We will e-mail "
            "you if a place becomes free."
        )
    return _(
        "Your application was sent and is awaiting confirmation by the group. "
        "We will e-mail you when they decide."
    )


def redirect_after_applying() -> HttpResponse:
    """Redirect to the user's applications, opening at the main content.

    The apply forms post to a URL with a fragment that names their error
    summary, and a browser keeps that fragment through a redirect whose
    location has none. This one names the main content instead, whose
    messages say that the application was sent.
    """
    return redirect(reverse("volunteering:my_applications") + "#main")


def login_then_post_page(
    post_pk_of: Callable[[int], int | None],
) -> Callable[[View], View]:
    """Send anonymous users to log in, then back to the post's page.

    The apply endpoints take only POST, so coming back to them after
    logging in would fail. The post page has the form to send again.
    *post_pk_of* maps the URL's pk to the post's pk, or None if not found.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            post_pk = post_pk_of(kwargs["pk"])
            if post_pk is None:
                return redirect_to_login(reverse("volunteering:search"))
            return redirect_to_login(
                reverse("volunteering:post_detail", args=[post_pk])
            )

        return wrapper

    return decorator


def _post_of_session(session_pk: int) -> int | None:
    return (
        VolunteerSession.objects.filter(pk=session_pk)
        .values_list("post_id", flat=True)
        .first()
    )


def _same_post(post_pk: int) -> int | None:
    return post_pk


@require_POST
@rate_limit("apply")
@login_then_post_page(_post_of_session)
def apply_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the signed-in user to session *pk* of a visible post."""
    user = signed_in_user(request)
    session = VolunteerSession.objects.filter(pk=pk).only("post_id").first()
    if session is None:
        raise Http404(f"No session {pk}.")
    post = selectors.post_for_viewer(user, session.post_id)
    form = ApplyForm(request.POST, post=post, prefix=f"session-{pk}")
    if form.is_valid():
        try:
            application = application_services.application_create_for_session(
                applicant=user, session_id=pk, **form.service_arguments()
            )
        except ApplicationError as error:
            log_rejection(request, error)
            form.add_error(None, error)
        else:
            messages.success(request, success_message(application))
            return redirect_after_applying()
    return render_post_page(
        request, post, bound_form=form, bound_session_id=pk, status=400
    )


@require_POST
@rate_limit("apply")
@login_then_post_page(_same_post)
def apply_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the signed-in user to one day of year-round post *pk*."""
    user = signed_in_user(request)
    post = selectors.post_for_viewer(user, pk)
    if not post.is_year_round:
        raise Http404(f"Post {pk} is not year-round.")
    form = ApplyForm(request.POST, post=post, prefix="day")
    if form.is_valid():
        try:
            application = application_services.application_create_for_day(
                applicant=user,
                post_id=pk,
                activity_date=form.cleaned_data["activity_date"],
                **form.service_arguments(),
            )
        except ApplicationError as error:
            log_rejection(request, error)
            form.add_error(None, error)
        else:
            messages.success(request, success_message(application))
            return redirect_after_applying()
    return render_post_page(request, post, bound_form=form, status=400)


def _link_problem(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(
        request,
        "volunteering/resident/apply_link_problem.html",
        {"message": message},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@rate_limit("apply")
def apply_link(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm and make an application from a link in a matching mail.

    GET shows the session and a button. Only the POST applies, so a mail
    scanner that opens the link applies nobody.
    """
    try:
        link = read_apply_token(token)
    except ApplyLinkError as error:
        logger.info("Apply link rejected: %s", error.reason)
        if error.reason == "expired":
            message = _(
                "This link has expired. Find the activity with the search and "
                "apply from its page."
            )
        else:
            message = _(
                "This link is not valid. It may have been cut off when it was "
                "copied; open it again from the e-mail, or use the search."
            )
        return _link_problem(request, message, status=400)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = signed_in_user(request)
    if user.pk != link.user_id:
        logger.info("Apply link for user %s opened by user %s", link.user_id, user.pk)
        return _link_problem(
            request,
            _(
                "This link was sent to another account. Log out, then log in "
                "with the account that received the e-mail."
            ),
            status=403,
        )
    session = (
        VolunteerSession.objects.filter(pk=link.session_id)
        .select_related("post")
        .first()
    )
    if session is None or not selectors.is_public(session.post):
        return _link_problem(
            request,
            _("This activity is no longer published. Use the search to find others."),
            status=404,
        )
    existing = (
        Application.objects.active().filter(applicant=user, session=session).first()
    )
    context: dict[str, Any] = {
        "session": session,
        "post": session.post,
        "existing": existing,
        "error": None,
    }
    if request.method == "POST" and existing is None:
        try:
            application = application_services.application_create_for_session(
                applicant=user, session_id=session.pk
            )
        except ApplicationError as error:
            log_rejection(request, error)
            context["error"] = " ".join(error.messages)
        else:
            messages.success(request, success_message(application))
            return redirect("volunteering:my_applications")
    status = 400 if context["error"] else 200
    return render(
        request, "volunteering/resident/apply_link.html", context, status=status
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """List the signed-in user's own applications, newest first."""
    applications = list(selectors.applications_of(signed_in_user(request)))
    rows = [(app, selectors.can_cancel(app)) for app in applications]
    return render(request, "volunteering/resident/my_applications.html", {"rows": rows})


@require_POST
@login_required
def cancel_application(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the signed-in user's own application *pk*."""
    user = signed_in_user(request)
    application = selectors.own_application_or_404(user, pk)
    try:
        application_services.application_cancel_by_volunteer(
            application_id=application.pk, applicant=user
        )
    except ApplicationError as error:
        log_rejection(request, error)
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Your application to “%(title)s” is cancelled.")
            % {"title": application.post.title},
        )
    return redirect("volunteering:my_applications")


def _render_my_hours(
    request: HttpRequest,
    *,
    bound_form: HoursForm | None = None,
    bound_application_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    total = selectors.confirmed_hours_total(user)
    target = settings.HIGH_SCHOOL_CERTIFICATION_HOURS
    to_report = []
    for application in selectors.activities_without_hours(user):
        if bound_form is not None and bound_application_id == application.pk:
            form = bound_form
        else:
            form = HoursForm(prefix=f"hours-{application.pk}")
        to_report.append((application, form))
    context = {
        "history": selectors.hours_history(user),
        "awaiting": selectors.hours_awaiting_approval(user),
        "to_report": to_report,
        "total": format_hours(total),
        "is_high_school_student": user.is_high_school_student,
        "target": target,
        "remaining": format_hours(max(target - total, Decimal("0"))),
        "target_reached": total >= target,
        "progress_value": format_hours(min(total, Decimal(target))),
    }
    return render(
        request, "volunteering/resident/my_hours.html", context, status=status
    )


@login_required
def my_hours(request: HttpRequest) -> HttpResponse:
    """Show the signed-in user's confirmed hours and activities to report."""
    return _render_my_hours(request)


@require_POST
@login_required
def submit_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the signed-in user's own hours for application *pk*."""
    user = signed_in_user(request)
    application = selectors.own_application_or_404(user, pk)
    form = HoursForm(request.POST, prefix=f"hours-{pk}")
    if form.is_valid():
        try:
            attendance_services.attendance_submit_by_volunteer(
                application_id=application.pk,
                volunteer=user,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            log_rejection(request, error)
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your hours were sent. The group will approve them."),
            )
            return redirect("volunteering:my_hours")
    if not any(app.pk == pk for app in selectors.activities_without_hours(user)):
        # The activity has no form on the page, so show the error as a message.
        errors = list(form.non_field_errors()) or [_("Check the hours you entered.")]
        for text in errors:
            messages.error(request, str(text))
        return redirect("volunteering:my_hours")
    return _render_my_hours(
        request, bound_form=form, bound_application_id=pk, status=400
    )


@login_required
@rate_limit("export", methods=("GET",))
def hours_pdf(request: HttpRequest) -> HttpResponse:
    """Download the signed-in user's record of confirmed hours as a PDF."""
    user = signed_in_user(request)
    issued_on = timezone.localdate()
    pdf = build_hours_record(
        user=user,
        rows=list(selectors.hours_history(user)),
        total=selectors.confirmed_hours_total(user),
        issued_on=issued_on,
    )
    logger.info("Hours record PDF made for user %s", user.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="volunteer-hours-{issued_on:%Y%m%d}.pdf"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Show the user's secret calendar feed URL, or replace it on POST."""
    user = signed_in_user(request)
    if request.method == "POST":
        user.rotate_calendar_token()
        logger.info("Calendar feed key replaced for user %s", user.pk)
        messages.success(
            request,
            _(
                "The old calendar address no longer works. Add the new one "
                "below to your calendar app."
            ),
        )
        return redirect("volunteering:calendar_settings")
    feed_url = settings.SITE_URL + reverse(
        "volunteering:calendar_feed", args=[user.calendar_token]
    )
    return render(
        request,
        "volunteering/resident/calendar_settings.html",
        {"feed_url": feed_url},
    )


def calendar_feed(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Return the iCalendar feed of the confirmed activities of *token*'s user."""
    user = selectors.calendar_user(token)
    if user is None:
        raise Http404("Unknown calendar feed key.")
    body = build_calendar(list(selectors.calendar_applications(user)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="volunteering.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
