"""Pages of the collaboration app, mounted at /facilitation/ as `facilitation`."""

from django.urls import include, path

app_name = "facilitation"

urlpatterns = [
    path("", include("facilitation.urls_partners")),
    path("", include("facilitation.urls_facilitators")),
    path("", include("facilitation.urls_recognitions")),
]
