"""Pages of the recognitions area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
