"""Pages of the pro bono worker bank, mounted at /probono/ as `probono`."""

from django.urls import include, path

app_name = "probono"

urlpatterns = [
    path("", include("probono.urls_workers")),
    path("", include("probono.urls_requests")),
    path("", include("probono.urls_proposals")),
    path("", include("probono.urls_projects")),
    path("", include("probono.urls_case_studies")),
]
