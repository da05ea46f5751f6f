from .campaigns import Activity, Campaign, Participation
from .loans import Loan, LoanItem
from .photos import Gallery, Photo, PhotoExport

__all__ = [
    "Activity",
    "Campaign",
    "Gallery",
    "Loan",
    "LoanItem",
    "Participation",
    "Photo",
    "PhotoExport",
]
