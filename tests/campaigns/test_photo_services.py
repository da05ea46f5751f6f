import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from campaigns.exports import exportable_photo_list, participation_rows
from campaigns.models import Photo, PhotoExport
from campaigns.services import photo_exports, photos
from campaigns.services.participations import set_share_consent
from tests.campaigns.factories import (
    ActivityFactory,
    ParticipationFactory,
    PhotoFactory,
    image_bytes,
    upload,
)
from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return centre_staff(UserFactory(email="centre@example.jp"))


@pytest.fixture
def participation(resident):
    return ParticipationFactory(user=resident)


def send(participation, image, **changes):
    fields = {
        "image": image,
        "caption": "海岸清掃の様子",
        "credit": "山口 太郎",
        "people": Photo.People.CONSENTED,
        "statement_confirmed": True,
        **changes,
    }
    return photos.upload_photo(participation, participation.user, **fields)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_upload_accepts_format(participation, image_format):
    photo = send(participation, upload(f"p.{image_format.lower()}", image_format))

    with Image.open(photo.image) as stored:
        assert stored.format == image_format
    assert photo.status == Photo.Status.PENDING


def test_multi_picture_jpeg_stored_as_jpeg(participation):
    first = Image.new("RGB", (64, 48), (200, 60, 40))
    second = Image.new("RGB", (32, 24), (40, 60, 200))
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    data = SimpleUploadedFile("phone.jpg", buffer.getvalue(), "image/jpeg")

    photo = send(participation, data)

    with Image.open(photo.image) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (64, 48)


def test_text_named_jpg_rejected(participation):
    fake = SimpleUploadedFile("photo.jpg", b"just some text", "image/jpeg")

    with pytest.raises(ValidationError) as error:
        send(participation, fake)

    assert "image" in error.value.error_dict
    assert not Photo.objects.exists()


def test_gif_rejected(participation):
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        send(participation, upload("p.gif", "GIF"))


def test_truncated_jpeg_rejected(participation):
    data = image_bytes()
    cut = SimpleUploadedFile("photo.jpg", data[: len(data) // 2], "image/jpeg")

    with pytest.raises(ValidationError):
        send(participation, cut)


def test_oversized_file_rejected(participation, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100

    with pytest.raises(ValidationError, match="the limit is"):
        send(participation, upload())


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_gps_stripped_on_save(participation, image_format):
    source = Image.open(io.BytesIO(image_bytes(image_format, gps=True)))
    assert ExifTags.IFD.GPSInfo in source.getexif()

    photo = send(participation, upload("p.img", image_format, gps=True))

    with Image.open(photo.image) as stored:
        exif = stored.getexif()
        assert ExifTags.IFD.GPSInfo not in exif
        assert exif.get(0x010F) == "Test camera"


def test_uploaded_file_name_is_random(participation):
    photo = send(participation, upload("山口の浜.jpg"))

    assert "山口" not in photo.image.name
    assert photo.image.name.endswith(".jpg")


def test_statement_required(participation):
    with pytest.raises(ValidationError) as error:
        send(participation, upload(), statement_confirmed=False)

    assert "statement_confirmed" in error.value.error_dict


def test_people_choice_required(participation):
    with pytest.raises(ValidationError) as error:
        send(participation, upload(), people="")

    assert "people" in error.value.error_dict


def test_minor_without_guardian_consent_rejected(participation):
    user = participation.user
    user.birth_date = dt.date.today().replace(year=dt.date.today().year - 16)
    user.guardian_consent_at = None
    user.save()

    with pytest.raises(ValidationError, match="guardian"):
        send(participation, upload())


def test_other_resident_cannot_upload(participation, other_resident):
    with pytest.raises(PermissionDenied):
        photos.upload_photo(
            participation,
            other_resident,
            image=upload(),
            caption="x",
            credit="x",
            people=Photo.People.CONSENTED,
            statement_confirmed=True,
        )


def test_approve_puts_photo_in_gallery(
    participation, staff, django_capture_on_commit_callbacks
):
    photo = send(participation, upload())

    with django_capture_on_commit_callbacks(execute=True):
        photos.approve_photo(photo, staff)

    assert list(Photo.objects.in_gallery()) == [photo]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [participation.user.email]


def test_reject_needs_reason_and_mails_it(
    participation, staff, django_capture_on_commit_callbacks
):
    photo = send(participation, upload())
    with pytest.raises(ValidationError):
        photos.reject_photo(photo, staff, reason=" ")

    with django_capture_on_commit_callbacks(execute=True):
        photos.reject_photo(photo, staff, reason="顔が写っています")

    assert "顔が写っています" in mail.outbox[0].body
    assert not Photo.objects.in_gallery().exists()


def test_resident_cannot_approve(participation):
    photo = send(participation, upload())

    with pytest.raises(PermissionDenied):
        photos.approve_photo(photo, participation.user)


def test_withdraw_removes_from_gallery_and_deletes_file(
    participation, staff, django_capture_on_commit_callbacks
):
    photo = send(participation, upload())
    photos.approve_photo(photo, staff)
    name = photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        photos.withdraw_photo(photo, participation.user)

    assert not Photo.objects.in_gallery().exists()
    assert not default_storage.exists(name)


def test_only_uploader_withdraws(participation, other_resident):
    photo = send(participation, upload())

    with pytest.raises(PermissionDenied):
        photos.withdraw_photo(photo, other_resident)


def test_withdrawn_photo_cannot_be_approved(participation, staff):
    photo = send(participation, upload())
    photos.withdraw_photo(photo, participation.user)

    with pytest.raises(ValidationError, match="withdrew"):
        photos.approve_photo(photo, staff)


def zip_of(export):
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_export_zip_has_photos_and_captions(
    participation, staff, django_capture_on_commit_callbacks
):
    photo = send(participation, upload(), caption="=HYPERLINK(1)")
    photos.approve_photo(photo, staff)

    with django_capture_on_commit_callbacks(execute=True):
        export = photo_exports.start_photo_export(participation.campaign, staff)

    export.refresh_from_db()
    assert export.status == PhotoExport.Status.DONE
    assert export.done == export.total == 1
    archive = zip_of(export)
    names = archive.namelist()
    assert f"photos/0001-{photo.pk}.jpg" in names
    captions = archive.read("captions.csv").decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in captions
    assert "山口 太郎" in captions
    assert "Everyone identifiable in the photo agreed" in captions


def test_export_leaves_out_withdrawn_and_pending(participation, staff):
    kept = send(participation, upload())
    withdrawn = send(participation, upload())
    send(participation, upload())
    photos.approve_photo(kept, staff)
    photos.approve_photo(withdrawn, staff)
    photos.withdraw_photo(withdrawn, participation.user)

    assert exportable_photo_list(participation.campaign) == [kept]


def test_export_leaves_out_minor_without_guardian(participation, staff):
    photo = PhotoFactory(participation=participation, status=Photo.Status.APPROVED)
    user = participation.user
    user.birth_date = dt.date.today().replace(year=dt.date.today().year - 16)
    user.guardian_consent_at = None
    user.save()

    assert photo not in exportable_photo_list(participation.campaign)


def test_export_goes_stale_after_withdrawal(
    participation, staff, django_capture_on_commit_callbacks
):
    photo = send(participation, upload())
    photos.approve_photo(photo, staff)
    with django_capture_on_commit_callbacks(execute=True):
        export = photo_exports.start_photo_export(participation.campaign, staff)
    export.refresh_from_db()
    assert not photo_exports.is_stale(export)

    photos.withdraw_photo(photo, participation.user)

    assert photo_exports.is_stale(export)


def test_participation_rows_respect_share_consent(resident):
    activity = ActivityFactory(participation__user=resident)
    campaign = activity.participation.campaign

    hidden = list(participation_rows(campaign))
    set_share_consent(activity.participation, resident, give=True)
    shown = list(participation_rows(campaign))
    set_share_consent(activity.participation, resident, give=False)
    withdrawn = list(participation_rows(campaign))

    assert resident.email not in hidden[0]
    assert resident.email in shown[0]
    assert resident.email not in withdrawn[0]
