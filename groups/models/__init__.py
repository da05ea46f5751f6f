from .annual_reports import AGE_BANDS, INCOME_SOURCES, AnnualGroupReport, DigitalTool
from .consultations import Consultation
from .events import Event, GrantNotice
from .lifecycle import (
    Certification,
    GroupChangeRequest,
    GroupReview,
    GroupRevision,
    GroupStatusChange,
)
from .newsletter import NewsletterIssue, NewsletterSubscription
from .reference import (
    ActivityField,
    LocalizedNameMixin,
    Municipality,
    SupportCentre,
    SupportCentreStaff,
)
from .registry import (
    UNCONFIRMED_AFTER,
    CivicGroup,
    CivicGroupQuerySet,
    GroupInvitation,
    GroupMembership,
)

__all__ = [
    "AGE_BANDS",
    "INCOME_SOURCES",
    "UNCONFIRMED_AFTER",
    "ActivityField",
    "AnnualGroupReport",
    "Certification",
    "CivicGroup",
    "CivicGroupQuerySet",
    "Consultation",
    "DigitalTool",
    "Event",
    "GrantNotice",
    "GroupChangeRequest",
    "GroupInvitation",
    "GroupMembership",
    "GroupReview",
    "GroupRevision",
    "GroupStatusChange",
    "LocalizedNameMixin",
    "Municipality",
    "NewsletterIssue",
    "NewsletterSubscription",
    "SupportCentre",
    "SupportCentreStaff",
]
