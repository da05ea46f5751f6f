import logging
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image

logger = logging.getLogger(__name__)

# MPO is how Pillow names the multi-picture JPEG that many phone cameras
# write: its first picture is an ordinary JPEG, which browsers show.
ALLOWED_IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "GIF", "WEBP"}

# Exceptions that Pillow 13 raises on damaged, truncated or hostile input while
# opening, verifying or decoding. UnidentifiedImageError is an OSError.
IMAGE_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    ZeroDivisionError,
    struct.error,
)


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("The file is not a JPEG, PNG, GIF or WebP image."), code="not_an_image"
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The photo has more than %(megapixels)d million pixels. "
            "Make it smaller and upload it again."
        )
        % {"megapixels": (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000},
        code="too_many_pixels",
    )


def validate_image_upload(file: UploadedFile | FieldFile) -> None:
    """Reject files over the size limits and files that are not whole images.

    The content decides, not the file name: Pillow must open the file as one
    of the allowed formats, verify it, and decode every pixel of it, so a
    truncated file is rejected too. Images of more than Image.MAX_IMAGE_PIXELS
    pixels are rejected before they are decoded.
    """
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The photo is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{file.size / 1_048_576:.1f}", "limit": limit // 1_048_576},
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        _check_image_content(file, position)
    finally:
        file.seek(position)


def _check_image_content(file: UploadedFile | FieldFile, position: int) -> None:
    try:
        with Image.open(file) as image:
            if image.format not in ALLOWED_IMAGE_FORMATS:
                raise _not_an_image()
            width, height = image.size
            max_pixels = Image.MAX_IMAGE_PIXELS
            if max_pixels is not None and width * height > max_pixels:
                raise _too_many_pixels()
            image.verify()
        # verify() leaves the image unusable and does not decode the pixel
        # data, so a cut-off JPEG passes it. Decoding the whole image finds it.
        file.seek(position)
        with Image.open(file) as image:
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Image.open raises the error for images over twice the pixel limit.
        # The warning is an exception only where warnings are made errors.
        raise _too_many_pixels() from error
    except IMAGE_DECODE_ERRORS as error:
        logger.info("Image upload rejected: %s", type(error).__name__)
        raise _not_an_image() from error
