"""Template tags of the partner links, for My page."""

from __future__ import annotations

from django import template

from civic_portal.types import AnyUser
from partner_links import selectors

register = template.Library()


@register.simple_tag
def partner_link_roles(user: AnyUser) -> selectors.DashboardRoles:
    """Return whether *user* is a partner account and a teacher, in one query."""
    return selectors.dashboard_roles(user)
