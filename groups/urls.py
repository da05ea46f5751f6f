"""Pages of the group registry, mounted at the site root in the `groups` namespace."""

from django.urls import include, path

from groups.views import centre_home

app_name = "groups"

urlpatterns = [
    path("centre/", centre_home.centre_home, name="centre_home"),
    path("", include("groups.urls_registration")),
    path("", include("groups.urls_directory")),
    path("", include("groups.urls_events")),
    path("", include("groups.urls_reports")),
]
