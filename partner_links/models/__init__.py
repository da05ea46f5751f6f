from .programmes import ExportLog, PointsProgramme, ProgrammeEnrolment
from .schools import SchoolLink

__all__ = ["ExportLog", "PointsProgramme", "ProgrammeEnrolment", "SchoolLink"]
