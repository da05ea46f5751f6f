from .cases import (
    CaseInvitation,
    CaseNote,
    CaseParty,
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    CollaborationExample,
    ExampleParty,
    Principle,
    PrincipleAnswer,
)
from .facilitators import (
    CourseCompletion,
    Facilitator,
    FacilitatorAppointment,
    FacilitatorAppointmentQuerySet,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)
from .meetings import ActionItem, Meeting, MeetingSeries, Weekday
from .partners import Partner
from .recognitions import HistoricalRecognitionTotal, Recognition, RecognitionKind

__all__ = [
    "ActionItem",
    "CaseInvitation",
    "CaseNote",
    "CaseParty",
    "CaseStage",
    "CaseStageChange",
    "CollaborationCase",
    "CollaborationExample",
    "CourseCompletion",
    "ExampleParty",
    "Facilitator",
    "FacilitatorAppointment",
    "FacilitatorAppointmentQuerySet",
    "HistoricalRecognitionTotal",
    "Meeting",
    "MeetingSeries",
    "Partner",
    "Principle",
    "PrincipleAnswer",
    "Recognition",
    "RecognitionKind",
    "TrainingAttendance",
    "TrainingCourse",
    "TrainingSession",
    "Weekday",
]
