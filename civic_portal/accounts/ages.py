"""Age limits for signing up, and the age arithmetic they use.

The limits are constants rather than settings because they are policy
stated on the privacy page, not something a deployment tunes.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.fiscal import JAPAN

# The portal is for residents of high-school age and up; younger children
# cannot sign up.
MINIMUM_SIGNUP_AGE = 13
# Japan's age of majority since April 2022 (Civil Code article 4). Younger
# residents sign up only with a parent's or guardian's agreement.
AGE_OF_MAJORITY = 18


def today_in_japan() -> dt.date:
    return timezone.now().astimezone(JAPAN).date()


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Return the age in whole years on *day* of a person born on *birth_date*."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_below_signup_age(birth_date: dt.date, day: dt.date) -> bool:
    return age_on(birth_date, day) < MINIMUM_SIGNUP_AGE


def needs_guardian_consent(birth_date: dt.date, day: dt.date) -> bool:
    return age_on(birth_date, day) < AGE_OF_MAJORITY


def validate_signup_age(
    birth_date: dt.date, *, guardian_consent: bool, day: dt.date
) -> None:
    """Raise ValidationError if a person born on *birth_date* may not sign up on *day*.

    The error's code is "below_signup_age" under MINIMUM_SIGNUP_AGE, or
    "guardian_consent_required" for a minor without *guardian_consent*.
    """
    if is_below_signup_age(birth_date, day):
        raise ValidationError(
            _(
                "The portal is for people aged %(age)d and over (high-school "
                "age and up), so you cannot sign up yet. Check the birth date "
                "if it is wrong."
            ),
            code="below_signup_age",
            params={"age": MINIMUM_SIGNUP_AGE},
        )
    if needs_guardian_consent(birth_date, day) and not guardian_consent:
        raise ValidationError(
            _(
                "You are under %(age)d, so a parent or guardian must agree "
                "before you sign up. Ask them, then tick the box."
            ),
            code="guardian_consent_required",
            params={"age": AGE_OF_MAJORITY},
        )
