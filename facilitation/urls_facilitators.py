"""Pages of the facilitator roster and the training courses."""

from django.urls import path

from facilitation.views import facilitators

urlpatterns = [
    path("facilitators/", facilitators.roster, name="facilitator_roster"),
    path(
        "facilitators/<int:pk>/",
        facilitators.facilitator_detail,
        name="facilitator_detail",
    ),
    path(
        "facilitators/<int:pk>/deactivate/",
        facilitators.deactivate,
        name="facilitator_deactivate",
    ),
    path(
        "appointments/<int:pk>/end/",
        facilitators.end_appointment,
        name="appointment_end",
    ),
    path("training/", facilitators.course_list, name="course_list"),
    path("training/<int:pk>/", facilitators.course_detail, name="course_detail"),
    path(
        "training/<int:pk>/sessions/",
        facilitators.add_session,
        name="course_add_session",
    ),
    path("training/<int:pk>/enrol/", facilitators.enrol, name="course_enrol"),
    path(
        "training/<int:pk>/attendance/",
        facilitators.record_attendance,
        name="course_attendance",
    ),
    path(
        "training/<int:pk>/completion/",
        facilitators.record_completion,
        name="course_completion",
    ),
]
