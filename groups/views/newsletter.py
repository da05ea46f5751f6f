"""Newsletter pages: subscribing, unsubscribing by a signed link, the public
archive of sent issues, and the pages where centre staff draft, edit and
send an issue (403 for anyone else).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups import selectors_events as selectors
from groups.forms_events import NewsletterIssueForm, NewsletterMonthForm, SubscribeForm
from groups.models import NewsletterIssue
from groups.permissions import is_centre_staff
from groups.services import newsletter as services
from groups.views.grants import centre_staff_required

logger = logging.getLogger(__name__)

ARCHIVE_PAGE_SIZE = 24


# Public pages


def newsletter_archive(request: HttpRequest) -> HttpResponse:
    """List the sent issues, newest first."""
    page = Paginator(selectors.sent_issues(), ARCHIVE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "groups/newsletter/archive.html",
        {"page": page, "can_manage": is_centre_staff(request.user)},
    )


def newsletter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(selectors.sent_issues(), pk=pk)
    return render(request, "groups/newsletter/issue.html", {"issue": issue})


def newsletter_subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe an address; signed-in users find theirs filled in."""
    user = request.user if isinstance(request.user, User) else None
    initial = {"language": translation.get_language()}
    if user is not None:
        initial["email"] = user.email
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscription = services.subscribe(
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            user=user,
        )
        # Only the owner of a signed-in account learns that their own
        # address is subscribed. Anyone else gets the same message whether
        # or not the address was subscribed before, so the page does not
        # tell who reads the newsletter.
        own_subscription = user is not None and subscription.user_id == user.pk
        if own_subscription and subscription.confirmed_at is not None:
            messages.success(
                request,
                _(
                    "The address is subscribed. Each issue has a link to "
                    "unsubscribe at the end."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "Check the mailbox of this address. Unless the address is "
                    "already subscribed, a mail with a confirmation link is on "
                    "its way. No issue is sent before the link is opened."
                ),
            )
        return redirect("groups:newsletter_archive")
    return render(request, "groups/newsletter/subscribe.html", {"form": form})


def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show a confirm button (GET) or confirm the subscription (POST).

    GET changes nothing, so a mail scanner that opens the link does not
    confirm a subscription that the address owner never asked for.
    """
    try:
        subscription = services.subscription_from_confirmation_token(token)
    except services.UnsubscribeLinkError as error:
        logger.info("Newsletter confirmation link rejected: %s", error.reason)
        return render(
            request,
            "groups/newsletter/confirm.html",
            {"problem": error.reason},
            status=400,
        )
    if request.method == "POST":
        services.confirm(subscription)
        subscription.refresh_from_db()
    return render(
        request, "groups/newsletter/confirm.html", {"subscription": subscription}
    )


@csrf_exempt
def newsletter_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Show a confirm button (GET) or unsubscribe (POST) for a signed link.

    The POST needs no login and no CSRF token, because mail programs send
    it themselves for the List-Unsubscribe-Post header (RFC 8058). The
    signed token is the proof that the request comes from the reader.
    """
    try:
        subscription = services.subscription_from_token(token)
    except services.UnsubscribeLinkError as error:
        logger.info("Unsubscribe link rejected: %s", error.reason)
        return render(
            request,
            "groups/newsletter/unsubscribe_problem.html",
            {"reason": error.reason},
            status=400,
        )
    if request.method == "POST":
        services.unsubscribe(subscription)
        return render(request, "groups/newsletter/unsubscribed.html")
    return render(
        request,
        "groups/newsletter/unsubscribe.html",
        {"subscription": subscription},
    )


# Centre staff pages


def _previous_month() -> dt.date:
    today = timezone.localdate(timezone.now(), JAPAN)
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@centre_staff_required
def staff_issues(request: HttpRequest) -> HttpResponse:
    """List every issue and offer to draft the next one."""
    issues = NewsletterIssue.objects.order_by("-month")
    page = Paginator(issues, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    form = NewsletterMonthForm(
        request.POST or None, initial={"month": _previous_month()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.draft_issue(
                month=form.cleaned_data["month"], edited_by=signed_in_user(request)
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request, _("The draft issue was compiled. Check and edit it.")
            )
            return redirect("groups:newsletter_staff_issue", pk=issue.pk)
    return render(
        request,
        "groups/newsletter/staff_issues.html",
        {"page": page, "form": form},
    )


@centre_staff_required
def staff_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an issue with its sending progress."""
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    return render(
        request,
        "groups/newsletter/staff_issue.html",
        {
            "issue": issue,
            "subscriber_count": services.issue_recipients(issue).count(),
        },
    )


@centre_staff_required
def staff_issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.status != NewsletterIssue.Status.DRAFT:
        messages.error(
            request, _("This issue is being sent or was sent, so it cannot be changed.")
        )
        return redirect("groups:newsletter_staff_issue", pk=issue.pk)
    form = NewsletterIssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_issue(
                issue=issue, fields=form.cleaned_data, edited_by=signed_in_user(request)
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The issue was saved."))
            return redirect("groups:newsletter_staff_issue", pk=issue.pk)
    return render(
        request,
        "groups/newsletter/staff_issue_form.html",
        {"form": form, "issue": issue},
    )


@centre_staff_required
@require_POST
def staff_issue_send(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    try:
        services.start_sending(issue=issue)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(
            request,
            _("Sending has started. This page shows how many mails have been sent."),
        )
    return redirect("groups:newsletter_staff_issue", pk=issue.pk)
