"""Pages of the collaboration app, mounted at /facilitation/ as `facilitation`."""

from django.urls import include, path

app_name = "facilitation"

urlpatterns = [
    path("", include("facilitation.urls_partners")),
    path("", include("facilitation.urls_facilitators")),
    path("", include("facilitation.urls_recognitions")),
    path("", include("facilitation.urls_cases")),
    path("", include("facilitation.urls_meetings")),
    path("", include("facilitation.urls_examples")),
]
