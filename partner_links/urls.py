from django.urls import path

from partner_links import api
from partner_links.views import partner, resident, schools

app_name = "partner_links"

urlpatterns = [
    path("health-points/", resident.programme_list, name="programme_list"),
    path("health-points/<int:pk>/enrol/", resident.enrol, name="enrol"),
    path(
        "health-points/enrolments/<int:pk>/",
        resident.enrolment_detail,
        name="enrolment_detail",
    ),
    path(
        "health-points/enrolments/<int:pk>/withdraw/",
        resident.withdraw,
        name="enrolment_withdraw",
    ),
    path("health-points/partner/", partner.partner_home, name="partner_home"),
    path(
        "health-points/partner/<int:pk>/export/",
        partner.export,
        name="export",
    ),
    # The rest of the API is mounted under /api/ by civic_portal.api_urls; a
    # path that its router does not match falls through to this one.
    path(
        "api/health-points/programmes/<int:pk>/participation/",
        api.ParticipationListView.as_view(),
        name="api_participation",
    ),
    path("schools/", schools.school_link, name="school_link"),
    path("schools/withdraw/", schools.school_withdraw, name="school_withdraw"),
    path("schools/students/", schools.teacher_students, name="teacher_students"),
    path(
        "schools/students/<int:pk>/",
        schools.teacher_student_detail,
        name="teacher_student_detail",
    ),
    path(
        "schools/students/<int:pk>/record.pdf",
        schools.teacher_student_pdf,
        name="teacher_student_pdf",
    ),
]
