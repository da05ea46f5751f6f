"""Information-sharing meeting pages and their iCalendar exports."""

from django.urls import path

from facilitation.views import meetings

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:pk>/agenda/draft/",
        meetings.meeting_redraft,
        name="meeting_redraft",
    ),
    path("meetings/<int:pk>/actions/", meetings.action_new, name="action_new"),
    path(
        "meetings/<int:pk>/meeting.ics",
        meetings.meeting_calendar,
        name="meeting_calendar",
    ),
    path("meetings/series/new/", meetings.series_new, name="series_new"),
    path("meetings/series/<int:pk>/", meetings.series_detail, name="series_detail"),
    path(
        "meetings/series/<int:pk>/series.ics",
        meetings.series_calendar,
        name="series_calendar",
    ),
    path("actions/<int:pk>/done/", meetings.action_done, name="action_done"),
    path(
        "actions/<int:pk>/due-date/",
        meetings.action_reschedule,
        name="action_reschedule",
    ),
]
