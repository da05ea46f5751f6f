"""The media type of a stored file, read from its first bytes."""

# Leading bytes (magic numbers) of the formats the portal stores. WebP is
# a RIFF container, checked separately for its form type "WEBP".
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)
FALLBACK = "application/octet-stream"


def sniff_content_type(head: bytes) -> str:
    """Return the media type of a file that starts with *head*.

    The file name plays no part, so a page renamed to photo.jpg is sent as
    application/octet-stream, never as text/html or an image. An Excel
    workbook is a ZIP file and is reported as application/zip.
    """
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return FALLBACK
