"""Centre staff screen to record and withdraw a parent's or guardian's agreement.

Only centre staff may open it (403 for everyone else). Each view of a
resident's record is logged, and recorded in the staff access log.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civic_portal.accounts import ages, guardian_consent
from civic_portal.accounts.forms_guardian import (
    GuardianConsentRecordForm,
    GuardianConsentWithdrawForm,
    ResidentSearchForm,
)
from civic_portal.accounts.models import User
from civic_portal.audit.services import (
    USER_BIRTH_DATE,
    USER_EMAIL,
    USER_NAME,
    record_access,
)
from civic_portal.views import attach_errors, signed_in_user
from groups.views.grants import centre_staff_required

logger = logging.getLogger(__name__)

# Register names of the fields the detail page shows, for the access log.
SHOWN_FIELDS = (
    USER_NAME,
    USER_EMAIL,
    USER_BIRTH_DATE,
    "accounts.User.guardian_consent_at",
    "accounts.User.guardian_consent_method",
    "accounts.User.guardian_consent_recorded_by",
    "accounts.GuardianConsentChange.reason",
)


@centre_staff_required
def guardian_consent_search(request: HttpRequest) -> HttpResponse:
    """Find a resident by e-mail address and open their agreement record.

    The search is a POST and the redirect names the resident by id, so the
    address never appears in a URL or the access log. Query parameters of a
    GET are ignored.
    """
    form = ResidentSearchForm(request.POST if request.method == "POST" else None)
    not_found = False
    if form.is_valid():
        resident = guardian_consent.find_resident_by_email(form.cleaned_data["email"])
        if resident is not None:
            return redirect("accounts:guardian_consent_detail", resident.pk)
        not_found = True
    return render(
        request,
        "accounts/guardian_consent/search.html",
        {
            "form": form,
            "not_found": not_found,
            "age_of_majority": ages.AGE_OF_MAJORITY,
        },
    )


@centre_staff_required
def guardian_consent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a resident's age and agreement, record one or withdraw it."""
    resident = get_object_or_404(User, pk=pk, is_active=True)
    staff = signed_in_user(request)
    record_form = GuardianConsentRecordForm(
        request.POST if request.POST.get("action") == "record" else None
    )
    withdraw_form = GuardianConsentWithdrawForm(
        request.POST if request.POST.get("action") == "withdraw" else None
    )
    if request.method == "POST":
        if record_form.is_bound and record_form.is_valid():
            try:
                guardian_consent.record_guardian_consent(
                    resident, recorded_by=staff, **record_form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(request, record_form, error)
            else:
                messages.success(request, _("The agreement was recorded."))
                return redirect("accounts:guardian_consent_detail", resident.pk)
        elif withdraw_form.is_bound and withdraw_form.is_valid():
            try:
                guardian_consent.withdraw_guardian_consent(
                    resident,
                    reason=withdraw_form.cleaned_data["reason"],
                    withdrawn_by=staff,
                )
            except ValidationError as error:
                attach_errors(request, withdraw_form, error)
            else:
                messages.success(request, _("The agreement was withdrawn."))
                return redirect("accounts:guardian_consent_detail", resident.pk)
    logger.info(
        "User %s viewed the guardian agreement of user %s", staff.pk, resident.pk
    )
    record_access(request, [resident], SHOWN_FIELDS, obj=resident)
    context: dict[str, Any] = {
        "resident": resident,
        "age": resident.age_now(),
        "age_of_majority": ages.AGE_OF_MAJORITY,
        "agreed_on": guardian_consent.agreed_on(resident),
        "history": guardian_consent.guardian_consent_history(resident),
        "record_form": record_form,
        "withdraw_form": withdraw_form,
    }
    return render(request, "accounts/guardian_consent/detail.html", context)
