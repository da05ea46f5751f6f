"""Registers the volunteering API on the project's router."""

from rest_framework.routers import BaseRouter

from .views import MyApplicationViewSet, PostViewSet


def register(router: BaseRouter) -> None:
    router.register("posts", PostViewSet, basename="post")
    router.register("my/applications", MyApplicationViewSet, basename="my-application")
