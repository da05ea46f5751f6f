"""A user's own data as a JSON document or as a ZIP of CSV files."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from civic_portal.exports import csv_bytes
from civic_portal.privacy.selectors import DataSection


def data_json_bytes(sections: Sequence[DataSection]) -> bytes:
    """Return the sections as UTF-8 JSON, keyed by field name.

    Labels (kind titles and column labels) are in the active language.
    """
    document = {
        "generated_at": timezone.now(),
        "sections": [
            {
                "model": section.entry.model,
                "kind": section.kind.key,
                "kind_title": str(section.kind.title),
                "title": section.title,
                "labels": {column.name: column.label for column in section.columns},
                "rows": [
                    {
                        column.name: value
                        for column, value in zip(section.columns, row, strict=True)
                    }
                    for row in section.rows
                ],
            }
            for section in sections
        ],
    }
    text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return text.encode("utf-8")


def data_zip_bytes(sections: Sequence[DataSection]) -> bytes:
    """Return a ZIP with one CSV per section (UTF-8 with BOM, formulas neutralised).

    Every section gets a file, with only a header row when nothing is kept,
    so the archive lists every kind of data, including the empty ones.
    """
    buffer = io.BytesIO()
    stamp = timezone.localtime().replace(tzinfo=None)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, section in enumerate(sections, start=1):
            header = [column.label for column in section.columns]
            info = zipfile.ZipInfo(f"{number:02d}-{section.slug}.csv", date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_bytes(header, section.rows))
    return buffer.getvalue()


def download_filename(extension: str, today: dt.date | None = None) -> str:
    """Return the attachment name, such as my-data-2026-12-05.json."""
    today = today or timezone.localdate()
    return f"my-data-{today.isoformat()}.{extension}"
