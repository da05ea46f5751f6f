"""Pages of the partners area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
