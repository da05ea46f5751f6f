"""The page where staff give the reason for rejecting a loan or a photo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from campaigns.forms import ReasonForm
from civic_portal.views import attach_errors


def reject_with_reason(
    request: HttpRequest,
    *,
    reject: Callable[[str], object],
    done_message: str,
    done_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Show the reason form, or call *reject* with the reason and go to *done_url*.

    A ValidationError from *reject* is shown on the form, which keeps the
    reason typed so far.
    """
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reject(form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    return render(request, template, {**context, "form": form})
