"""Helpers for the volunteering tests."""

import datetime as dt

from django.contrib.messages import get_messages

from tests.factories import ApplicationFactory
from volunteering.models import Application, VolunteerPost


def messages_of(response) -> list[str]:
    """Return the messages of a response, or of a followed redirect's page."""
    context = getattr(response, "context", None)
    if context and "messages" in context:
        return [str(message) for message in context["messages"]]
    return [str(message) for message in get_messages(response.wsgi_request)]


def day_application(post: VolunteerPost, day: dt.date, **fields) -> Application:
    """Create an application to year-round *post* for *day*, confirmed by default."""
    return ApplicationFactory(session=None, post=post, activity_date=day, **fields)
