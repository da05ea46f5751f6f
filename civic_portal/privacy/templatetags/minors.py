"""Template filters that show a person as the viewer may see them.

The view puts a MinorsPolicy for the signed-in user into the context,
prefetched with the people on the page, and templates write
``{{ person|visible_name:minors }}`` in place of ``{{ person }}``.
"""

from django import template

from civic_portal.accounts.models import User
from civic_portal.privacy.minors import (
    AGE_BAND_UNDER_18,
    PARTICIPANT_PLACEHOLDER,
    MinorsPolicy,
    is_minor,
)

register = template.Library()


@register.filter
def visible_name(person: User | None, policy: MinorsPolicy) -> str:
    """Return the person's name, or the applicant placeholder for a hidden minor."""
    if person is None:
        return ""
    return policy.name(person)


@register.filter
def visible_participant_name(person: User | None, policy: MinorsPolicy) -> str:
    """Return the person's name, or the participant placeholder for a hidden minor."""
    if person is None:
        return ""
    return policy.name(person, PARTICIPANT_PLACEHOLDER)


@register.filter
def visible_email(person: User | None, policy: MinorsPolicy) -> str:
    """Return the person's e-mail address, or "" for a hidden minor."""
    if person is None:
        return ""
    return policy.email(person)


@register.filter
def personal_data_hidden(person: User | None, policy: MinorsPolicy) -> bool:
    return person is not None and not policy.can_see(person)


@register.filter
def age_band(person: User | None) -> str:
    """Return "Under 18" for a minor and "" otherwise, so no birth date is shown."""
    if person is None or not is_minor(person):
        return ""
    return str(AGE_BAND_UNDER_18)
