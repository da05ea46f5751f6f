"""Upload folders (under MEDIA_ROOT) of the photos of posts and reports."""

from __future__ import annotations

from typing import Any

from civic_portal.media.names import random_upload_name


def post_photo_path(instance: Any, filename: str) -> str:
    return random_upload_name("posts", filename)


def report_photo_path(instance: Any, filename: str) -> str:
    return random_upload_name("reports", filename)
