"""The URL of uploaded files: MEDIA_URL followed by the stored name.

With an absolute MEDIA_URL (object storage or a CDN) the files are served
from there, and the portal adds no URL.
"""

from django.conf import settings
from django.urls import URLPattern, path

from civic_portal.media.views import serve_media


def media_urlpatterns() -> list[URLPattern]:
    """Return the pattern of the media view under a relative MEDIA_URL."""
    if "://" in settings.MEDIA_URL:
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [path(f"{prefix}<path:path>", serve_media, name="media")]
