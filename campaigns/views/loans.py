"""Loan pages: participants request and cancel, staff handle loans and items.

Loan and item pages for staff are for centre and prefectural staff, and
each staff member gets the loans of the campaigns they manage. Anyone
else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.forms import LoanItemForm, LoanRequestForm
from campaigns.models import Loan, LoanItem, Participation
from campaigns.permissions import is_campaign_staff, managed_campaigns
from campaigns.services import loans as loan_services
from campaigns.views.participants import own_participation
from campaigns.views.rejection import reject_with_reason
from civic_portal.accounts.ages import today_in_japan
from civic_portal.privacy.minors import MinorsPolicy
from civic_portal.views import attach_errors, message_errors, signed_in_user

LOANS_PER_PAGE = 50

STAFF_ACTIONS = {
    "approve": loan_services.approve_loan,
    "lend": loan_services.mark_lent,
    "return": loan_services.mark_returned,
}
DONE_MESSAGES = {
    "approve": gettext_lazy("The loan is approved, and the participant was notified."),
    "lend": gettext_lazy("The loan is marked as lent."),
    "return": gettext_lazy("The loan is marked as returned."),
}


def _require_staff(request: HttpRequest) -> None:
    if not is_campaign_staff(request.user):
        raise PermissionDenied


@login_required
def loan_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Request a loan of listed items for the participation *pk*."""
    participation = own_participation(request, pk)
    if not participation.is_active:
        raise Http404("Participation withdrawn")
    form = LoanRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            loan_services.request_loan(
                participation, signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("Your request was sent. The support centre will reply by e-mail."),
            )
            return redirect("campaigns:participation_detail", participation.pk)
    context = {
        "participation": participation,
        "campaign": participation.campaign,
        "form": form,
        "items": LoanItem.objects.filter(is_active=True),
    }
    return render(request, "campaigns/loan_form.html", context)


@login_required
@require_POST
def loan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    managed = Participation.objects.of_user(request.user.pk)
    loan = get_object_or_404(Loan.objects.filter(participation__in=managed), pk=pk)
    try:
        loan_services.cancel_loan(loan, signed_in_user(request))
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The loan was cancelled."))
    return redirect("campaigns:participation_detail", loan.participation_id)


@login_required
def staff_loans(request: HttpRequest) -> HttpResponse:
    """List the loans of the campaigns the user manages, by status or overdue."""
    _require_staff(request)
    today = today_in_japan()
    loans = (
        Loan.objects.filter(participation__campaign__in=managed_campaigns(request.user))
        .select_related(
            "item",
            "participation__campaign",
            "participation__group",
            "participation__user",
        )
        .order_by("starts_on", "pk")
    )
    status = request.GET.get("status", "")
    if status == "overdue":
        loans = loans.overdue(today)
    elif status in Loan.Status.values:
        loans = loans.filter(status=status)
    else:
        status = ""
    page = Paginator(loans, LOANS_PER_PAGE).get_page(request.GET.get("page"))
    minors = MinorsPolicy(request.user).prefetch(
        loan.participation.user for loan in page.object_list
    )
    context = {
        "page": page,
        "minors": minors,
        "status": status,
        "statuses": Loan.Status.choices,
        "overdue_count": Loan.objects.filter(
            participation__campaign__in=managed_campaigns(request.user)
        )
        .overdue(today)
        .count(),
        "today": today,
    }
    return render(request, "campaigns/staff/loans.html", context)


def _staff_loan(request: HttpRequest, pk: int) -> Loan:
    _require_staff(request)
    queryset = Loan.objects.filter(
        participation__campaign__in=managed_campaigns(request.user)
    ).select_related("item", "participation__campaign")
    return get_object_or_404(queryset, pk=pk)


@login_required
@require_POST
def loan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve a loan, or mark it lent or returned."""
    if action not in STAFF_ACTIONS:
        raise Http404("Unknown loan action")
    loan = _staff_loan(request, pk)
    try:
        STAFF_ACTIONS[action](loan, signed_in_user(request))
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect(_loans_url(request))


def _loans_url(request: HttpRequest) -> str:
    """Return the loan list filtered as it was when the action was posted."""
    status = request.POST.get("next_status", "")
    url = reverse("campaigns:staff_loans")
    return (
        f"{url}?status={status}" if status in (*Loan.Status.values, "overdue") else url
    )


@login_required
def loan_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason, then reject the loan and tell the participant."""
    loan = _staff_loan(request, pk)
    user = signed_in_user(request)
    return reject_with_reason(
        request,
        reject=lambda reason: loan_services.reject_loan(loan, user, reason=reason),
        done_message=_("The loan was rejected, and the participant was notified."),
        done_url=reverse("campaigns:staff_loans"),
        template="campaigns/staff/loan_reject.html",
        context={"loan": loan},
    )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    items = LoanItem.objects.order_by("name")
    return render(request, "campaigns/staff/items.html", {"items": items})


@login_required
def item_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a loan item, or edit item *pk*."""
    _require_staff(request)
    item = get_object_or_404(LoanItem, pk=pk) if pk is not None else None
    form = LoanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            loan_services.save_loan_item(form.instance, signed_in_user(request))
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("campaigns:item_list")
    return render(
        request, "campaigns/staff/item_form.html", {"form": form, "item": item}
    )
