"""Names for stored uploads that carry nothing of the uploader's file name.

A phone names a photo after the moment it was taken, but a person may name
it after themselves or their home ("山田花子_自宅.jpg"), and the stored
name is part of the photo's public URL. Stored names are random instead.
"""

from __future__ import annotations

import re
import uuid

from django.utils import timezone

_EXTENSION = re.compile(r"[a-z0-9]{1,5}")


def random_upload_name(folder: str, filename: str, *, dated: bool = True) -> str:
    """Return "<folder>/<year>/<month>/<random>.<extension>" for *filename*.

    The extension is kept when it is short and plain, else "bin".
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not _EXTENSION.fullmatch(extension):
        extension = "bin"
    if dated:
        folder = f"{folder}/{timezone.now():%Y/%m}"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
