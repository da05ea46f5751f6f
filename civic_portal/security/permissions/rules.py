"""Roles of the permission matrix and the rule that names who gets a URL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """One person in the test world, seen from the object a URL shows.

    RESIDENT is the person the target belongs to (the applicant, the
    participant, the profile owner); OTHER_RESIDENT is a signed-in
    resident with no tie to it. GROUP_STAFF is staff of the target's
    group and OTHER_GROUP_STAFF staff of another group. FACILITATOR is a
    regional facilitator appointed to the municipal centre of the
    target's municipality and CENTRE_STAFF staff of that centre.
    PREFECTURAL_STAFF is staff of the prefectural centre. PARTNER is the
    account of a health-point programme's partner, the teacher a student
    named and the contact of a collaboration partner. ADMIN is a
    superuser.
    """

    ANONYMOUS = "anonymous"
    RESIDENT = "resident"
    OTHER_RESIDENT = "other_resident"
    GROUP_STAFF = "group_staff"
    OTHER_GROUP_STAFF = "other_group_staff"
    PRO_BONO_WORKER = "pro_bono_worker"
    CONCIERGE = "concierge"
    FACILITATOR = "facilitator"
    CENTRE_STAFF = "centre_staff"
    PREFECTURAL_STAFF = "prefectural_staff"
    PARTNER = "partner"
    ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    """Who gets one URL: the roles in *allow*, and nobody else."""

    name: str
    allow: frozenset[Role]
    target: str = ""
    method: str = "GET"
    note: str = ""

    @property
    def area(self) -> str:
        """Return the URL namespace, or "site" for a name without one."""
        namespace, _, _ = self.name.rpartition(":")
        return namespace or "site"


def roles(*members: Role) -> frozenset[Role]:
    return frozenset(members)


EVERYONE = frozenset(Role)
NOBODY: frozenset[Role] = frozenset()
SIGNED_IN = EVERYONE - {Role.ANONYMOUS}
ADMIN_ONLY = roles(Role.ADMIN)

# The person the target belongs to, alone.
OWNER = roles(Role.RESIDENT)
# Staff of the target's group, alone.
GROUP_STAFF = roles(Role.GROUP_STAFF)
# Staff of a support centre: prefectural staff work at the prefectural
# centre, so a rule that admits centre staff admits them too.
CENTRE = roles(Role.CENTRE_STAFF, Role.PREFECTURAL_STAFF)
# groups.permissions.is_prefectural_staff counts Django staff users as
# prefectural staff, so the administrator gets the prefecture's pages.
PREFECTURE = roles(Role.PREFECTURAL_STAFF, Role.ADMIN)
