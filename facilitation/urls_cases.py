"""Collaboration case pages, for facilitators and centre staff."""

from django.urls import path

from facilitation.views import cases

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/stage/", cases.case_stage, name="case_stage"),
    path("cases/<int:pk>/parties/new/", cases.party_new, name="party_new"),
    path(
        "cases/<int:pk>/parties/<int:party_pk>/edit/",
        cases.party_edit,
        name="party_edit",
    ),
    path(
        "cases/<int:pk>/parties/<int:party_pk>/principles/",
        cases.party_principles,
        name="party_principles",
    ),
    path("cases/<int:pk>/notes/new/", cases.note_new, name="note_new"),
    path(
        "cases/<int:pk>/invitations/new/",
        cases.invitation_new,
        name="invitation_new",
    ),
]
