"""Build docs/roles-and-permissions.md, the written matrix, from the rules."""

from __future__ import annotations

import re

from civic_portal.security.permissions.api_rules import API_AREAS
from civic_portal.security.permissions.page_rules import ADMIN_SITE_RULE, PAGE_RULES
from civic_portal.security.permissions.resolver import route_of
from civic_portal.security.permissions.rules import Role, Rule

MATRIX_PATH = "docs/roles-and-permissions.md"

# Column headings; the legend under the introduction spells them out.
ROLE_COLUMNS: dict[Role, tuple[str, str]] = {
    Role.ANONYMOUS: ("anon", "a visitor who is not signed in"),
    Role.RESIDENT: (
        "res",
        "the resident the object belongs to (applicant, participant, owner)",
    ),
    Role.OTHER_RESIDENT: ("oth", "another signed-in resident"),
    Role.GROUP_STAFF: ("gs", "staff of the object's civic group"),
    Role.OTHER_GROUP_STAFF: ("ogs", "staff of another civic group"),
    Role.PRO_BONO_WORKER: ("pbw", "a pro bono worker on the object's project"),
    Role.CONCIERGE: ("conc", "a pro bono concierge"),
    Role.FACILITATOR: (
        "fac",
        "a regional facilitator at the municipal centre of the object",
    ),
    Role.CENTRE_STAFF: ("cs", "staff of the municipal support centre of the object"),
    Role.PREFECTURAL_STAFF: ("pref", "staff of the prefectural support centre"),
    Role.PARTNER: (
        "ptn",
        "a partner account: health-point partner, named teacher, partner contact",
    ),
    Role.ADMIN: ("adm", "an administrator (superuser)"),
}

INTRODUCTION = """\
# Roles and permissions

Who may open each page and API endpoint of the portal. This file is
generated from `civic_portal/security/permissions/` by
`python manage.py permission_matrix`; edit the rules there, not this file.
`tests/security/test_permission_matrix.py` requests every URL as every
role in a test world and fails when a response differs from this table,
when a URL has no rule, or when a rule names no URL.

The target is the object of the test world whose ids fill the URL. A ✓
means the role gets the page. A – means the role is refused: 403 or
404, or for a visitor who is not signed in a redirect to the log-in page
(pages) or 401, 403 or 404 (API). A POST, PATCH or DELETE row is an
action; "gets it" means the action runs or returns the form with its
errors (an API endpoint returns 400 for the empty body of the test).

The roles are people in the test world, seen from the object the URL
shows (the *target*). The chief facilitator is not a column: a page that
only the chief facilitator gets shows no ✓, and its note names the chief. The
administrator is a Django staff user, and the portal counts Django staff
users as prefectural staff.
"""


def _legend() -> list[str]:
    return [f"- **{short}**: {text}" for short, text in ROLE_COLUMNS.values()]


def _readable_route(route: str) -> str:
    """Return *route* with a router's regex written like a path() route.

    "/api/^posts/(?P<pk>[0-9]+)/$" becomes "/api/posts/<pk>/".
    """
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return route.replace("^", "").replace("$", "")


def _table(rules: list[Rule]) -> list[str]:
    heading = ["URL name", "path", "method", "target"]
    heading += [short for short, _ in ROLE_COLUMNS.values()]
    lines = [
        "| " + " | ".join(heading) + " | note |",
        "| " + " | ".join("---" for _ in heading) + " | --- |",
    ]
    for rule in rules:
        marks = ["✓" if role in rule.allow else "–" for role in ROLE_COLUMNS]
        path = _readable_route(route_of(rule.name)).replace("|", "\\|")
        target = rule.target.replace("_", " ")
        cells = [f"`{rule.name}`", f"`{path}`", rule.method, target, *marks, rule.note]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _areas(rules: list[Rule]) -> dict[str, list[Rule]]:
    areas: dict[str, list[Rule]] = {}
    for rule in rules:
        areas.setdefault(rule.area, []).append(rule)
    return areas


def build_matrix_markdown() -> str:
    """Return the text of docs/roles-and-permissions.md for the current rules."""
    lines = [INTRODUCTION, *_legend(), ""]
    for area, rules in _areas(PAGE_RULES).items():
        lines += [f"## Pages: {area}", "", *_table(rules), ""]
    lines += ["## Django admin", "", *_table([ADMIN_SITE_RULE]), ""]
    for area, rules in API_AREAS.items():
        lines += [f"## API: {area}", "", *_table(rules), ""]
    return "\n".join(lines)
