from .facilitators import (
    CourseCompletion,
    Facilitator,
    FacilitatorAppointment,
    FacilitatorAppointmentQuerySet,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)
from .partners import Partner
from .recognitions import HistoricalRecognitionTotal, Recognition, RecognitionKind

__all__ = [
    "CourseCompletion",
    "Facilitator",
    "FacilitatorAppointment",
    "FacilitatorAppointmentQuerySet",
    "HistoricalRecognitionTotal",
    "Partner",
    "Recognition",
    "RecognitionKind",
    "TrainingAttendance",
    "TrainingCourse",
    "TrainingSession",
]
