"""Public pages of the recognitions, and the pages that record them."""

from django.urls import path

from facilitation.views import recognitions

urlpatterns = [
    path("recognitions/", recognitions.recognition_index, name="recognition_index"),
    path(
        "recognitions/<int:year>/",
        recognitions.recognition_year,
        name="recognition_year",
    ),
    path(
        "recognitions/manage/",
        recognitions.manage_list,
        name="recognition_manage",
    ),
    path(
        "recognitions/manage/new/",
        recognitions.manage_new,
        name="recognition_new",
    ),
    path(
        "recognitions/manage/<int:pk>/edit/",
        recognitions.manage_edit,
        name="recognition_edit",
    ),
    path(
        "recognitions/manage/<int:pk>/withdraw/",
        recognitions.manage_withdraw,
        name="recognition_withdraw",
    ),
]
