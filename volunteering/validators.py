from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image_upload(file: UploadedFile | FieldFile) -> None:
    """Reject files over the size limit and files whose content is not an image.

    The content decides, not the file name: Pillow must open and verify it
    as one of the allowed formats.
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
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The file is not a JPEG, PNG, GIF or WebP image."), code="not_an_image"
        ) from error
    finally:
        file.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("The file is not a JPEG, PNG, GIF or WebP image."), code="not_an_image"
        )
