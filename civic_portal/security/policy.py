"""Values of the Content Security Policy that depend on other settings."""

from urllib.parse import urlsplit


def media_origins(media_url: str) -> list[str]:
    """Return the origin of *media_url* when uploads are served from another host.

    A relative MEDIA_URL such as "media/" is covered by 'self', so the
    result is empty. An absolute one (object storage or a CDN) adds its
    scheme and host, so that uploaded photos still load.
    """
    parts = urlsplit(media_url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return [f"{parts.scheme}://{parts.netloc}"]
    return []
