"""URLs of events, grant notices and the newsletter, in the `groups` namespace."""

from django.urls import path

from groups.views import events, grants, newsletter

urlpatterns = [
    path("events/", events.event_list, name="event_list"),
    path("events/feed.ics", events.event_feed, name="event_feed"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/manage/", events.staff_events, name="staff_events"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/publish/", events.event_publish, name="event_publish"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("grants/", grants.grant_list, name="grant_list"),
    path("grants/<int:pk>/", grants.grant_detail, name="grant_detail"),
    path("grants/manage/", grants.staff_grants, name="staff_grants"),
    path("grants/new/", grants.grant_create, name="grant_create"),
    path("grants/<int:pk>/edit/", grants.grant_edit, name="grant_edit"),
    path("grants/<int:pk>/publish/", grants.grant_publish, name="grant_publish"),
    path("newsletter/", newsletter.newsletter_archive, name="newsletter_archive"),
    path("newsletter/<int:pk>/", newsletter.newsletter_issue, name="newsletter_issue"),
    path(
        "newsletter/subscribe/",
        newsletter.newsletter_subscribe,
        name="newsletter_subscribe",
    ),
    path(
        "newsletter/confirm/<str:token>/",
        newsletter.newsletter_confirm,
        name="newsletter_confirm",
    ),
    path(
        "newsletter/unsubscribe/<str:token>/",
        newsletter.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("newsletter/manage/", newsletter.staff_issues, name="newsletter_staff"),
    path(
        "newsletter/manage/<int:pk>/",
        newsletter.staff_issue,
        name="newsletter_staff_issue",
    ),
    path(
        "newsletter/manage/<int:pk>/edit/",
        newsletter.staff_issue_edit,
        name="newsletter_staff_edit",
    ),
    path(
        "newsletter/manage/<int:pk>/send/",
        newsletter.staff_issue_send,
        name="newsletter_staff_send",
    ),
]
