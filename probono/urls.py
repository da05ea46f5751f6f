"""Pages of the pro bono worker bank, mounted at /probono/ as `probono`."""

from django.urls import include, path

app_name = "probono"

urlpatterns = [
    path("", include("probono.urls_workers")),
    path("", include("probono.urls_requests")),
]
