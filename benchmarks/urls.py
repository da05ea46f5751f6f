"""The portal's URLs plus baseline views that exist only in the benchmark."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from civic_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """Return a fixed body: the cost of Django, middleware and gunicorn alone."""
    return HttpResponse("ok", content_type="text/plain")


def empty_page(request: HttpRequest) -> HttpResponse:
    """Render the site layout with no content and no database queries."""
    return render(request, "base.html", {})


urlpatterns = [
    path("benchmark/trivial/", trivial, name="benchmark-trivial"),
    path("benchmark/empty-page/", empty_page, name="benchmark-empty-page"),
    *portal_urlpatterns,
]
