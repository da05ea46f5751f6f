"""Permission rules of the pro bono worker bank.

Concierges are members of the Django group "concierge". Group staff act
on their own groups' requests only.
"""

from civic_portal.types import AnyUser

CONCIERGE_GROUP = "concierge"


def is_concierge(user: AnyUser) -> bool:
    """Tell whether *user* has the concierge role."""
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=CONCIERGE_GROUP).exists()  # type: ignore[attr-defined]
