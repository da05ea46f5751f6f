"""Public pages of the recognitions."""

from django.urls import path

from facilitation.views import recognitions

urlpatterns = [
    path("recognitions/", recognitions.recognition_index, name="recognition_index"),
    path(
        "recognitions/<int:year>/",
        recognitions.recognition_year,
        name="recognition_year",
    ),
]
