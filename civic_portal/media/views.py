"""The view that serves uploaded files under MEDIA_URL.

Each request is checked against the rule of the file's upload folder
(civic_portal.media.rules). A file the user may not fetch, an unknown or
malformed path, a name no row stores and a file missing from the storage
all get the same 404, so the response does not reveal whether a file exists.
"""

from __future__ import annotations

import logging
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from civic_portal.media.content_types import sniff_content_type
from civic_portal.media.rules import Access, MediaRule, rule_for

logger = logging.getLogger(__name__)


def clean_name(path: str) -> str | None:
    """Return *path* as a storage name, or None when it is not a plain relative path.

    A name with "." or ".." segments, empty segments, a backslash, a NUL
    byte or a leading slash is rejected, so a request cannot leave
    MEDIA_ROOT or reach one file under two names.
    """
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    if posixpath.normpath(path) != path or path.endswith("/"):
        return None
    if any(segment in ("", ".", "..") for segment in path.split("/")):
        return None
    return path


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve the uploaded file *path* to a user whose access rule allows it."""
    try:
        return _serve(request, path)
    except Http404 as error:
        response = page_not_found(request, error)
        # A 404 for one user may be a file for another, so no cache keeps it.
        patch_cache_control(response, private=True, no_store=True)
        # Django's request logger would write "Not Found: <path>", and the
        # path can hold the uploader's original file name. The attribute is
        # how django.utils.log.log_response (Django 5.2) skips a response.
        response._has_been_logged = True  # type: ignore[attr-defined]
        logger.info("Media request not served: %s", _folder(path))
        return response


def _folder(path: str) -> str:
    """Return the upload folder of *path*, which contains no personal data."""
    rule = rule_for(path)
    return rule.prefix if rule is not None else "unknown folder"


def _serve(request: HttpRequest, path: str) -> HttpResponseBase:
    name = clean_name(path)
    rule = rule_for(name) if name else None
    if name is None or rule is None or rule.access is None:
        raise Http404("No such file.")
    owner = rule.find_owner(name)
    if owner is None:
        raise Http404("No such file.")
    access = rule.access(request.user, owner)
    if access is Access.HIDDEN:
        raise Http404("No such file.")
    response = _file_response(rule, owner.pk, name)
    if access is Access.PUBLIC:
        patch_cache_control(
            response, public=True, max_age=settings.MEDIA_PUBLIC_MAX_AGE_SECONDS
        )
        # The file is the same for every user, so PrivateResponseMiddleware
        # leaves the caching above in place for signed-in users too.
        response.same_for_every_user = True  # type: ignore[attr-defined]
    else:
        patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_response(rule: MediaRule, owner_id: int, name: str) -> HttpResponseBase:
    """Return the file as a streamed response, or as an X-Accel-Redirect to nginx."""
    try:
        file = rule.storage().open(name, "rb")
    except (OSError, SuspiciousFileOperation) as error:
        # The row exists but its file does not: a failed upload or a
        # deletion that removed the file first. Log the row, not the name,
        # which may contain the uploader's original file name.
        logger.warning(
            "File of %s %s is missing: %s", rule.model, owner_id, type(error).__name__
        )
        raise Http404("No such file.") from error

    head = file.read(32)
    file.seek(0)
    content_type = sniff_content_type(head)
    inline = content_type.startswith("image/")
    filename = posixpath.basename(name)

    location = settings.MEDIA_ACCEL_REDIRECT_LOCATION
    if location:
        file.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = location.rstrip("/") + "/" + quote(name)
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = (
            f"{disposition}; filename*=utf-8''{quote(filename)}"
        )
        return response
    return FileResponse(
        file,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
