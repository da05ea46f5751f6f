"""Feeds, share cards and flyers, mounted at the site root."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import TemplateView

from outreach import feeds, views

app_name = "outreach"

urlpatterns: list[URLPattern | URLResolver] = [
    path("feeds/", views.feed_index, name="feed_index"),
    path("feeds/posts.atom", feeds.PostFeed(), name="post_feed"),
    path(
        "feeds/posts/municipality/<str:code>.atom",
        feeds.MunicipalityPostFeed(),
        name="municipality_post_feed",
    ),
    path(
        "feeds/posts/field/<int:number>.atom",
        feeds.FieldPostFeed(),
        name="field_post_feed",
    ),
    path("feeds/events.atom", feeds.EventFeed(), name="event_feed"),
    path("feeds/grants.atom", feeds.GrantFeed(), name="grant_feed"),
    path("cards/posts/<int:pk>.png", views.post_card, name="post_card"),
    path("cards/events/<int:pk>.png", views.event_card, name="event_card"),
    path("cards/groups/<int:pk>.png", views.group_card, name="group_card"),
    path(
        "flyers/flyer.css",
        TemplateView.as_view(
            template_name="outreach/flyer.css", content_type="text/css"
        ),
        name="flyer_css",
    ),
    path("flyers/posts/<int:pk>/", views.post_flyer, name="post_flyer"),
    path("flyers/posts/<int:pk>.pdf", views.post_flyer_pdf, name="post_flyer_pdf"),
    path("flyers/events/<int:pk>/", views.event_flyer, name="event_flyer"),
    path("flyers/events/<int:pk>.pdf", views.event_flyer_pdf, name="event_flyer_pdf"),
]
