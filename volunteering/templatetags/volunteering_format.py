"""Template filters that format volunteering values for display."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def hours(value: Decimal | float | int | str | None) -> str:
    """Format a number of hours with its unit: "3 hours", "3.5 hours", "3時間".

    Trailing zeros are dropped and at most two decimals are kept, the
    precision of the hours fields. None and the empty string give "".
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if number == 1:
        return gettext("%(hours)s hour") % {"hours": text}
    return gettext("%(hours)s hours") % {"hours": text}
