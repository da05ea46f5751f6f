from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UserLanguageMiddleware:
    """Use a signed-in user's preferred language unless a cookie overrides it.

    Runs before LocaleMiddleware, which reads the language cookie. The
    language switch sets that cookie, so a choice made on a page wins over
    the profile for the rest of the visit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = settings.LANGUAGE_COOKIE_NAME
        if cookie not in request.COOKIES:
            language = self._preferred_language(request)
            if language:
                request.COOKIES[cookie] = language
        return self.get_response(request)

    @staticmethod
    def _preferred_language(request: HttpRequest) -> str | None:
        from django.contrib.auth import get_user

        user = get_user(request)
        return getattr(user, "preferred_language", None) or None
