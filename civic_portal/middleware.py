from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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


class PrivateResponseMiddleware:
    """Keep responses that may hold personal data out of every cache.

    A response to a signed-in user, or one that sets a cookie, is sent with
    `Cache-Control: private, no-store` (Django's never-cache headers), so
    neither a shared proxy nor the browser's back-forward history keeps a
    copy. Other responses keep whatever caching the view chose, and so does
    a response without cookies whose view set `same_for_every_user`, such
    as a public uploaded file.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_private(request, response):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
        if response.cookies:
            return True
        if getattr(response, "same_for_every_user", False):
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
