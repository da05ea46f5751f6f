"""Collaboration examples: public pages, drafting, consent and publishing."""

from django.urls import path

from facilitation.views import examples

urlpatterns = [
    path("examples/", examples.example_list, name="example_list"),
    path("examples/consents/", examples.consent_list, name="consent_list"),
    path("examples/<int:pk>/", examples.example_detail, name="example_detail"),
    path("examples/<int:pk>/edit/", examples.example_edit, name="example_edit"),
    path(
        "examples/<int:pk>/publish/",
        examples.example_publish,
        name="example_publish",
    ),
    path(
        "examples/<int:pk>/consents/<int:row_pk>/",
        examples.example_consent,
        name="example_consent",
    ),
    path("cases/<int:case_pk>/example/", examples.example_new, name="example_new"),
]
