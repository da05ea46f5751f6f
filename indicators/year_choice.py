"""The fiscal year that a page's `?year=` requests."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


def chosen_year(request: HttpRequest, years: list[int]) -> int:
    """Return the fiscal year of `?year=`, or the last of *years* without one.

    A year that is not a number, or has no figures, gets a warning message
    and the last year instead, so that a mistyped or outdated link still
    shows figures rather than an error page.
    """
    year_text = request.GET.get("year", "")
    if year_text.isdigit() and int(year_text) in years:
        return int(year_text)
    if year_text:
        messages.warning(
            request,
            _(
                "No indicator figures exist for the fiscal year “%(year)s”; "
                "the latest year is shown."
            )
            % {"year": year_text[:12]},
        )
    return years[-1]
