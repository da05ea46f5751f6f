"""Rules that every sharing of a resident's data with a partner or school obeys.

A resident under 18 shares nothing until the parent's or guardian's
agreement recorded at sign-up is on the account. A resident whose birth
date is unknown is treated as a minor, because the age cannot be checked.
The same rule is applied when consent is given (`check_guardian_consent`)
and again in every export query (`guardian_rule_q`), so a guardian
agreement removed later stops the sharing too.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts import ages
from civic_portal.accounts.models import User


def adult_birth_date_cutoff(day: dt.date) -> dt.date:
    """Return the latest birth date of a person who is of age on *day*.

    Someone born on 29 February comes of age on 1 March in a common year,
    the same rule as ages.age_on.
    """
    year = day.year - ages.AGE_OF_MAJORITY
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def lacks_guardian_consent(user: User, day: dt.date) -> bool:
    """Tell whether *user* is a minor (or of unknown age) without guardian consent."""
    if user.guardian_consent_at is not None:
        return False
    return user.birth_date is None or user.birth_date > adult_birth_date_cutoff(day)


def check_guardian_consent(user: User, day: dt.date) -> None:
    """Raise ValidationError when *user* may not share data on *day*."""
    if not lacks_guardian_consent(user, day):
        return
    if user.birth_date is None:
        raise ValidationError(
            _(
                "Your birth date is missing, so the portal cannot tell whether "
                "a parent or guardian must agree. Add it in your profile first."
            ),
            code="birth_date_missing",
        )
    raise ValidationError(
        _(
            "You are under %(age)d, and the portal has no record that a parent "
            "or guardian agrees. Ask the support centre to record their "
            "agreement before you share your data."
        ),
        code="guardian_consent_required",
        params={"age": ages.AGE_OF_MAJORITY},
    )


def guardian_rule_q(user_path: str, day: dt.date) -> Q:
    """Return a filter that keeps users who may share data on *day*.

    *user_path* is the lookup path from the queried model to the user, for
    example "application__applicant".
    """
    return Q(**{f"{user_path}__guardian_consent_at__isnull": False}) | Q(
        **{f"{user_path}__birth_date__lte": adult_birth_date_cutoff(day)}
    )
