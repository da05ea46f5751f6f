import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from volunteering.validators import validate_image_upload

NOT_AN_IMAGE = "The file is not a JPEG, PNG, GIF or WebP image."


def png_with_size(width: int, height: int) -> bytes:
    """Return a small PNG whose header claims *width* x *height* pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    # The IHDR chunk starts after the 8-byte signature: length, type, data, CRC.
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def messages(content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        validate_image_upload(upload(content))
    return raised.value.messages


def test_accepts_whole_jpeg():
    file = upload(jpeg_bytes(), "photo.jpg")
    validate_image_upload(file)
    assert file.tell() == 0


def test_accepts_multi_picture_jpeg_from_a_phone():
    first = Image.effect_noise((200, 200), 64).convert("RGB")
    second = Image.effect_noise((100, 100), 64).convert("RGB")
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    validate_image_upload(upload(buffer.getvalue(), "IMG_0001.jpg"))


def test_rejects_decompression_bomb():
    assert messages(png_with_size(20000, 20000)) == [
        "The photo has more than 89 million pixels. "
        "Make it smaller and upload it again."
    ]


def test_rejects_image_just_over_pixel_limit():
    # Between the limit and twice the limit Pillow only warns.
    assert messages(png_with_size(10000, 9000))[0].startswith(
        "The photo has more than 89 million pixels."
    )


def test_rejects_truncated_jpeg():
    content = jpeg_bytes()
    assert messages(content[: len(content) // 2]) == [NOT_AN_IMAGE]


def test_rejects_truncated_png():
    buffer = io.BytesIO()
    Image.effect_noise((100, 100), 64).save(buffer, format="PNG")
    content = buffer.getvalue()
    assert messages(content[: len(content) - 200]) == [NOT_AN_IMAGE]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"GIF89a nope",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        b"\xff\xd8\xff\xe0" + b"\x00" * 40,
        b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
    ],
    ids=["empty", "gif-header-only", "png-zeros", "jpeg-zeros", "webp-stub"],
)
def test_rejects_damaged_headers(content):
    assert messages(content) == [NOT_AN_IMAGE]


def test_rejects_other_formats():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    assert messages(buffer.getvalue()) == [NOT_AN_IMAGE]
