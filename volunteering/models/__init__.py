from .applications import Application, Attendance
from .posts import PostPhoto, PostRevision, VolunteerPost, VolunteerSession
from .reports import PostReport, ReportPhoto

__all__ = [
    "Application",
    "Attendance",
    "PostPhoto",
    "PostReport",
    "PostRevision",
    "ReportPhoto",
    "VolunteerPost",
    "VolunteerSession",
]
