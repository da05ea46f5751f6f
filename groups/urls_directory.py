"""The public directory, group pages, exports and the freshness list."""

from django.urls import path, re_path

from groups.views import centre_freshness, directory

urlpatterns = [
    path("groups/", directory.directory, name="directory"),
    path("groups/<int:pk>/", directory.detail, name="detail"),
    path("groups/<int:pk>/confirm/", directory.confirm, name="confirm_information"),
    re_path(
        r"^groups/export\.(?P<file_format>csv|xlsx)$",
        directory.export,
        name="directory_export",
    ),
    re_path(
        r"^centre/groups/export\.(?P<file_format>csv|xlsx)$",
        directory.staff_export,
        name="centre_directory_export",
    ),
    path(
        "centre/groups/unconfirmed/",
        centre_freshness.unconfirmed_groups,
        name="centre_unconfirmed",
    ),
]
