"""Template tags of the project workspace.

`{% project_section support_request %}` adds the link to the workspace on
the request detail page. `participant_name` shows a user's name without
ever falling back to their e-mail address.
"""

from __future__ import annotations

from typing import Any

from django import template

from civic_portal.accounts.models import User
from probono.models import SupportRequest
from probono.services import projects

register = template.Library()


@register.filter
def participant_name(user: User | None) -> str:
    return projects.display_name(user)


@register.inclusion_tag("probono/projects/_detail_section.html")
def project_section(support_request: SupportRequest) -> dict[str, Any]:
    """Render the workspace link. The workspace itself checks who may enter."""
    return {"support_request": support_request}
