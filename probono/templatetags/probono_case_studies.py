"""Template tags of the case study pages and of their section on the request page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from civic_portal.fiscal import fiscal_year_label, fiscal_year_of
from probono.models import CaseStudy, RequestState, SupportRequest
from probono.permissions import is_concierge
from probono.services import case_studies as case_study_services

register = template.Library()


@register.filter
def fiscal_year(moment: dt.datetime | None) -> str:
    """Return the fiscal year label of *moment*, such as 2025（令和7）年度."""
    if moment is None:
        return ""
    return fiscal_year_label(fiscal_year_of(moment))


@register.inclusion_tag("probono/case_studies/_request_panel.html", takes_context=True)
def case_study_panel(
    context: template.Context, support_request: SupportRequest
) -> dict[str, Any]:
    """Show a request's case study, or a link to write one, to whom it concerns.

    Concierges get the link to the consent status and publishing page, and
    the group's staff and team members the link to their consent page.
    """
    user = context["request"].user
    concierge = is_concierge(user)
    case_study = CaseStudy.objects.filter(request=support_request).first()
    is_party = case_study is not None and bool(
        case_study_services.parties_of(user, case_study)
    )
    can_draft = (
        concierge
        and case_study is None
        and support_request.state == RequestState.CLOSED
    )
    return {
        "show": concierge or is_party,
        "support_request": support_request,
        "case_study": case_study,
        "is_concierge": concierge,
        "is_party": is_party,
        "can_draft": can_draft,
    }
