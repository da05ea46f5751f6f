"""Permission rules of every URL under /api/; the package docstring has the format.

A router name has no namespace. The partner API, which partner_links
mounts itself, keeps its namespaced name. A name with several methods has
one rule per method. The test sends POST, PATCH and DELETE with an empty
body, so a role counts as allowed when it gets past the permission and
object checks to a 400. Some create endpoints take the object from the
body, such as the group of a new event. Their rule lists who gets past the
role check, and the note names the check that the object in the body
still faces.

A list that every signed-in user may open shows each user only the rows
they may read, which tests/security/test_api_list_rows.py checks. Targets
that only the API needs are built in tests/security/permission_world_api.py.
"""

from __future__ import annotations

from civic_portal.security.permissions.rules import (
    EVERYONE,
    PREFECTURE,
    SIGNED_IN,
    Role,
    Rule,
    roles,
)

# Users of the collaboration workspace and its partner directory, as
# facilitation.permissions.can_use_case_workspace defines them: facilitators,
# staff of any centre and superusers.
WORKSPACE = roles(
    Role.FACILITATOR, Role.CENTRE_STAFF, Role.PREFECTURAL_STAFF, Role.ADMIN
)
# The participants of a pro bono project, as probono.services.projects.access_of
# defines them: the group's staff, the team members and concierges.
PROJECT = roles(Role.GROUP_STAFF, Role.PRO_BONO_WORKER, Role.CONCIERGE)
# Staff of any group, for a create endpoint whose body names the group.
ANY_GROUP_STAFF = roles(Role.GROUP_STAFF, Role.OTHER_GROUP_STAFF)

SITE_RULES: list[Rule] = [
    Rule("api-root", EVERYONE, note="The browsable list of API endpoints."),
    Rule("api-schema", EVERYONE, note="The OpenAPI 3 schema."),
    Rule("api-docs", EVERYONE, note="Swagger UI over the schema."),
]

VOLUNTEERING_RULES: list[Rule] = [
    Rule("post-list", EVERYONE, note="Published posts."),
    Rule("post-detail", EVERYONE, target="post", note="A published post."),
    Rule(
        "my-application-list",
        SIGNED_IN,
        note="Each user sees only their own applications.",
    ),
    Rule(
        "my-application-list",
        SIGNED_IN,
        method="POST",
        note="Apply as yourself; the service checks the post's rules.",
    ),
    Rule(
        "my-application-detail",
        roles(Role.RESIDENT),
        target="application",
        note="The applicant only; anyone else gets 404.",
    ),
    Rule(
        "my-application-cancel",
        roles(Role.RESIDENT),
        target="application",
        method="POST",
        note="The applicant only.",
    ),
]

GROUP_RULES: list[Rule] = [
    Rule("group-list", EVERYONE, note="Public profiles of public groups."),
    Rule("group-detail", EVERYONE, target="group", note="Public fields only."),
    Rule(
        "group-detail",
        roles(Role.GROUP_STAFF),
        target="group",
        method="PATCH",
        note="Staff of the group change the ordinary profile fields.",
    ),
    Rule("centre-list", EVERYONE, note="Support centres, as public offices."),
    Rule("centre-detail", EVERYONE, target="centre"),
    Rule("event-list", EVERYONE, note="Upcoming published events of public groups."),
    Rule(
        "event-list",
        SIGNED_IN,
        method="POST",
        note="Create a draft event; the body's group must be one the user "
        "is staff of, else 403.",
    ),
    Rule(
        "event-detail",
        roles(Role.GROUP_STAFF),
        target="draft_event",
        note="A draft: staff of its group only. Published events of public "
        "groups are public.",
    ),
    Rule(
        "event-detail",
        roles(Role.GROUP_STAFF),
        target="draft_event",
        method="PATCH",
        note="Staff of the event's group.",
    ),
    Rule(
        "event-publish",
        roles(Role.GROUP_STAFF),
        target="draft_event",
        method="POST",
        note="Staff of the event's group.",
    ),
    Rule(
        "event-cancel",
        roles(Role.GROUP_STAFF),
        target="draft_event",
        method="POST",
        note="Staff of the event's group.",
    ),
    Rule("grant-list", EVERYONE, note="Published grant notices."),
    Rule("grant-detail", EVERYONE, target="grant"),
]

PROBONO_RULES: list[Rule] = [
    Rule(
        "probono-worker-list",
        roles(Role.CONCIERGE),
        note="Contact details of every worker: concierges only.",
    ),
    Rule(
        "probono-worker-detail",
        roles(Role.CONCIERGE),
        target="worker",
        note="Concierges only.",
    ),
    Rule(
        "probono-worker-me",
        roles(Role.PRO_BONO_WORKER),
        note="The worker's own registration; anyone else gets 404.",
    ),
    Rule(
        "probono-worker-me",
        roles(Role.PRO_BONO_WORKER),
        method="PATCH",
        note="The worker changes their own registration.",
    ),
    Rule(
        "probono-request-list",
        SIGNED_IN,
        note="Concierges see every request, group staff their groups'; "
        "others an empty list.",
    ),
    Rule(
        "probono-request-list",
        ANY_GROUP_STAFF,
        method="POST",
        note="Staff of a public group file for that group.",
    ),
    Rule(
        "probono-request-detail",
        roles(Role.GROUP_STAFF, Role.CONCIERGE),
        target="support_request",
        note="Staff of the request's group and concierges.",
    ),
    Rule(
        "probono-request-transition",
        roles(Role.GROUP_STAFF, Role.CONCIERGE),
        target="support_request",
        method="POST",
        note="Readers of the request; the workflow decides which role "
        "makes which step (403 otherwise).",
    ),
    Rule(
        "probono-case-study-list",
        EVERYONE,
        note="Published case studies; concierges also see drafts.",
    ),
    Rule(
        "probono-case-study-detail",
        roles(Role.CONCIERGE),
        target="case_study",
        note="A draft: concierges only. Published case studies are public.",
    ),
    Rule(
        "probono-case-study-consent",
        roles(Role.GROUP_STAFF, Role.PRO_BONO_WORKER),
        target="case_study",
        method="POST",
        note="Staff of the group and the team members, each for their own party.",
    ),
    Rule(
        "probono-case-study-withdraw-consent",
        roles(Role.GROUP_STAFF, Role.PRO_BONO_WORKER),
        target="case_study",
        method="POST",
        note="Staff of the group and the team members, each for their own party.",
    ),
    Rule(
        "probono-case-study-consents",
        roles(Role.CONCIERGE),
        target="case_study",
        note="Every party's consent: concierges only.",
    ),
    Rule(
        "probono-case-study-publish",
        roles(Role.CONCIERGE),
        target="case_study",
        method="POST",
        note="Concierges only.",
    ),
    Rule(
        "probono-statistics-list",
        roles(Role.CONCIERGE, *PREFECTURE),
        note="Concierges and prefectural staff.",
    ),
    Rule(
        "probono-proposal-list",
        SIGNED_IN,
        note="Concierges see every proposal, workers their own; others an empty list.",
    ),
    Rule(
        "probono-proposal-list",
        roles(Role.CONCIERGE),
        method="POST",
        note="Concierges propose workers.",
    ),
    Rule(
        "probono-proposal-detail",
        roles(Role.PRO_BONO_WORKER, Role.CONCIERGE),
        target="proposal",
        note="The proposed worker and concierges.",
    ),
    Rule(
        "probono-proposal-accept",
        roles(Role.PRO_BONO_WORKER),
        target="proposal",
        method="POST",
        note="The proposed worker only.",
    ),
    Rule(
        "probono-proposal-decline",
        roles(Role.PRO_BONO_WORKER),
        target="proposal",
        method="POST",
        note="The proposed worker only.",
    ),
    Rule(
        "probono-proposal-withdraw",
        roles(Role.CONCIERGE),
        target="proposal",
        method="POST",
        note="Concierges only.",
    ),
    Rule(
        "probono-candidate-list",
        roles(Role.CONCIERGE),
        target="api_project",
        note="Ranked candidates with their scores: concierges only.",
    ),
    Rule(
        "probono-open-request-list",
        roles(Role.PRO_BONO_WORKER),
        note="Registered workers; without the groups' contact details.",
    ),
    Rule(
        "probono-interest-list",
        SIGNED_IN,
        note="Concierges see every interest, workers their own; others an empty list.",
    ),
    Rule(
        "probono-interest-list",
        roles(Role.PRO_BONO_WORKER),
        method="POST",
        note="Registered workers; a paused worker or a closed request gets 400.",
    ),
    Rule(
        "probono-interest-detail",
        roles(Role.PRO_BONO_WORKER),
        target="api_interest",
        method="DELETE",
        note="The worker takes back their own interest.",
    ),
]

PROJECT_NOTE = (
    "Participants: the group's staff, the team members and concierges; "
    "anyone else gets 404."
)
PROJECT_WRITE_NOTE = (
    "Participants; the service decides which participant may add what (403 otherwise)."
)

PROJECT_RULES: list[Rule] = [
    rule
    for name in (
        "probono-project-message-list",
        "probono-project-milestone-list",
        "probono-project-progress-note-list",
        "probono-project-work-log-list",
        "probono-project-evaluation-list",
    )
    for rule in (
        Rule(name, PROJECT, target="api_project", note=PROJECT_NOTE),
        Rule(
            name, PROJECT, target="api_project", method="POST", note=PROJECT_WRITE_NOTE
        ),
    )
] + [
    Rule(
        "probono-project-milestone-done",
        roles(Role.GROUP_STAFF, Role.CONCIERGE),
        target="api_milestone",
        method="POST",
        note="The group's staff and concierges.",
    ),
]

INDICATOR_RULES: list[Rule] = [
    Rule("indicator-list", EVERYONE, note="Definitions of the six indicators."),
    Rule(
        "indicator-detail",
        EVERYONE,
        target="fiscal_year",
        note="A fiscal year's figures.",
    ),
    Rule(
        "indicator-compare",
        PREFECTURE,
        target="fiscal_year",
        note="Prefectural staff.",
    ),
    Rule(
        "indicator-freeze",
        PREFECTURE,
        target="fiscal_year",
        method="POST",
        note="Prefectural staff.",
    ),
    Rule(
        "indicator-white-paper-detail",
        PREFECTURE,
        target="fiscal_year",
        note="Prefectural staff; it counts cases and requests that are not public.",
    ),
]

FACILITATION_RULES: list[Rule] = [
    Rule(
        "facilitation-partner-list",
        WORKSPACE,
        note="Partners with their contacts: facilitators, centre staff and "
        "administrators.",
    ),
    Rule("facilitation-partner-list", WORKSPACE, method="POST"),
    Rule("facilitation-partner-detail", WORKSPACE, target="partner"),
    Rule("facilitation-partner-detail", WORKSPACE, target="partner", method="PATCH"),
    Rule("facilitation-recognition-list", EVERYONE, note="Recognitions in force."),
    Rule("facilitation-recognition-detail", EVERYONE, target="recognition"),
    Rule("facilitation-historical-total-list", EVERYONE),
    Rule(
        "facilitation-facilitator-list",
        PREFECTURE,
        note="The chief facilitator and prefectural staff.",
    ),
    Rule("facilitation-facilitator-detail", PREFECTURE, target="facilitator"),
    Rule(
        "facilitation-appointment-list",
        PREFECTURE,
        note="The chief facilitator and prefectural staff.",
    ),
    Rule("facilitation-appointment-list", PREFECTURE, method="POST"),
    Rule("facilitation-appointment-detail", PREFECTURE, target="appointment"),
    Rule(
        "facilitation-appointment-end",
        PREFECTURE,
        target="appointment",
        method="POST",
    ),
    Rule(
        "facilitation-case-list",
        SIGNED_IN,
        note="Each user sees the cases they may read; others an empty list.",
    ),
    Rule(
        "facilitation-case-list",
        SIGNED_IN,
        method="POST",
        note="The service accepts facilitators appointed to the body's "
        "centre (403 otherwise).",
    ),
    Rule(
        "facilitation-case-detail",
        roles(Role.FACILITATOR, Role.CENTRE_STAFF, Role.ADMIN),
        target="case",
        note="The facilitators and staff of the case's centre, the chief "
        "facilitator and administrators.",
    ),
    Rule(
        "facilitation-case-stage",
        roles(Role.FACILITATOR, Role.CENTRE_STAFF, Role.ADMIN),
        target="case",
        method="POST",
        note="Readers of the case; only its facilitators move it (403 otherwise).",
    ),
    Rule(
        "facilitation-case-notes",
        roles(Role.FACILITATOR, Role.CENTRE_STAFF, Role.ADMIN),
        target="case",
        method="POST",
        note="Readers of the case; only its facilitators add notes (403 otherwise).",
    ),
    Rule(
        "facilitation-meeting-list",
        SIGNED_IN,
        note="Each user sees the meetings they may read; others an empty list.",
    ),
    Rule(
        "facilitation-meeting-detail",
        roles(Role.FACILITATOR, Role.ADMIN),
        target="meeting",
        note="Attendees, owners of its action items, the chief facilitator "
        "and administrators.",
    ),
    Rule("facilitation-action-item-list", SIGNED_IN),
    Rule(
        "facilitation-action-item-detail",
        roles(Role.FACILITATOR, Role.ADMIN),
        target="action_item",
        note="Readers of its meeting.",
    ),
    Rule(
        "facilitation-action-item-done",
        roles(Role.FACILITATOR),
        target="action_item",
        method="POST",
        note="The item's owner and the chief facilitator.",
    ),
    Rule(
        "facilitation-example-list",
        EVERYONE,
        note="Published examples, and the drafts the user may read.",
    ),
    Rule(
        "facilitation-example-detail",
        roles(Role.FACILITATOR, Role.CENTRE_STAFF, Role.PARTNER, Role.ADMIN),
        target="example",
        note="A draft: readers of its case and those acting for a party "
        "(here the partner's contact). Published examples are public.",
    ),
]

CAMPAIGN_RULES: list[Rule] = [
    Rule("campaign-list", EVERYONE),
    Rule("campaign-detail", EVERYONE, target="campaign"),
    Rule("campaign-photo-list", EVERYONE, note="Approved gallery photos."),
    Rule(
        "campaign-photo-detail",
        EVERYONE,
        target="api_gallery_photo",
        note="An approved photo; a photo awaiting review is not found.",
    ),
]

PARTNER_LINK_RULES: list[Rule] = [
    Rule(
        "partner_links:api_participation",
        roles(Role.PARTNER, *PREFECTURE),
        target="programme",
        note="The programme's partner accounts (token or session) and "
        "prefectural staff.",
    ),
]

# The written matrix has one table per area, in this order.
API_AREAS: dict[str, list[Rule]] = {
    "site": SITE_RULES,
    "volunteering": VOLUNTEERING_RULES,
    "groups": GROUP_RULES,
    "probono": PROBONO_RULES + PROJECT_RULES,
    "indicators": INDICATOR_RULES,
    "facilitation": FACILITATION_RULES,
    "campaigns": CAMPAIGN_RULES,
    "partner_links": PARTNER_LINK_RULES,
}

API_RULES: list[Rule] = [rule for rules in API_AREAS.values() for rule in rules]
