"""The REST framework exception handler of the portal's API."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Return DRF's error response, with one translated text for Django's Http404.

    get_object_or_404 raises Http404 with "No <Model> matches the given
    query.", and DRF's handler (3.18) copies that text, English model name
    included, into the detail. This handler returns NotFound's own
    translated "Not found." instead. A NotFound raised on purpose keeps its
    detail.
    """
    if isinstance(exc, Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)
