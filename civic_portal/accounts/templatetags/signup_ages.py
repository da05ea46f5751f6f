"""Template tags that output the sign-up age limits of civic_portal.accounts.ages."""

from django import template

from civic_portal.accounts import ages

register = template.Library()


@register.simple_tag
def minimum_signup_age() -> int:
    return ages.MINIMUM_SIGNUP_AGE


@register.simple_tag
def age_of_majority() -> int:
    return ages.AGE_OF_MAJORITY
