"""URLs of the matching site, in the "volunteering" namespace under /volunteer/."""

from django.urls import include, path

from volunteering.views import public, resident

app_name = "volunteering"

urlpatterns = [
    path("", public.search, name="search"),
    path("posts/<int:pk>/", public.post_detail, name="post_detail"),
    path("posts/<int:pk>/apply/", resident.apply_post, name="apply_post"),
    path("sessions/<int:pk>/apply/", resident.apply_session, name="apply_session"),
    path("apply/<str:token>/", resident.apply_link, name="apply_link"),
    path("my/applications/", resident.my_applications, name="my_applications"),
    path(
        "my/applications/<int:pk>/cancel/",
        resident.cancel_application,
        name="cancel_application",
    ),
    path("my/hours/", resident.my_hours, name="my_hours"),
    path(
        "my/applications/<int:pk>/hours/",
        resident.submit_hours,
        name="submit_hours",
    ),
    path("my/hours.pdf", resident.hours_pdf, name="hours_pdf"),
    path("my/calendar/", resident.calendar_settings, name="calendar_settings"),
    path("calendar/<uuid:token>.ics", resident.calendar_feed, name="calendar_feed"),
    path("manage/", include("volunteering.staff_urls")),
]
