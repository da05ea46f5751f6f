"""Pages of the pro bono bank: case studies and statistics."""

from django.urls import path

from probono.views import case_studies, statistics

urlpatterns = [
    path("cases/", case_studies.case_study_list, name="case_study_list"),
    path("cases/<int:pk>/", case_studies.case_study_detail, name="case_study_detail"),
    path(
        "requests/<int:request_pk>/case-study/new/",
        case_studies.case_study_new,
        name="case_study_new",
    ),
    path("cases/<int:pk>/edit/", case_studies.case_study_edit, name="case_study_edit"),
    path(
        "cases/<int:pk>/manage/",
        case_studies.case_study_manage,
        name="case_study_manage",
    ),
    path(
        "cases/<int:pk>/publish/",
        case_studies.case_study_publish,
        name="case_study_publish",
    ),
    path(
        "cases/<int:pk>/consent/",
        case_studies.case_study_consent,
        name="case_study_consent",
    ),
    path(
        "cases/<int:pk>/consent/<slug:party>/<slug:action>/",
        case_studies.case_study_consent_action,
        name="case_study_consent_action",
    ),
    path("statistics/", statistics.statistics, name="statistics"),
]
