"""Pages of the facilitators area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
