"""Annual reports, support centre pages and consultations."""

from django.urls import path

from groups.views import centres, consultations, reports

urlpatterns = [
    path(
        "groups/<int:group_pk>/reports/",
        reports.group_reports,
        name="group_reports",
    ),
    path(
        "groups/<int:group_pk>/reports/new/",
        reports.report_create,
        name="report_create",
    ),
    path(
        "groups/<int:group_pk>/reports/<int:pk>/",
        reports.report_detail,
        name="report_detail",
    ),
    path("centres/reports/", reports.report_overview, name="report_overview"),
    path("centres/reports/remind/", reports.report_remind, name="report_remind"),
    path(
        "centres/reports/<int:pk>/",
        reports.staff_report_detail,
        name="staff_report_detail",
    ),
    path("centres/", centres.centre_list, name="centre_list"),
    path("centres/new/", centres.centre_create, name="centre_create"),
    path("centres/<int:pk>/", centres.centre_detail, name="centre_detail"),
    path("centres/<int:pk>/edit/", centres.centre_edit, name="centre_edit"),
    path("consultations/", consultations.consultation_list, name="consultation_list"),
    path(
        "consultations/new/",
        consultations.consultation_ask,
        name="consultation_ask",
    ),
    path(
        "consultations/record/",
        consultations.consultation_record,
        name="consultation_record",
    ),
    path(
        "consultations/<int:pk>/",
        consultations.consultation_detail,
        name="consultation_detail",
    ),
]
