"""Factories and helpers for campaign tests."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.models import Activity, Campaign, Loan, LoanItem, Participation, Photo
from civic_portal.accounts.ages import today_in_japan
from tests.factories import CivicGroupFactory, UserFactory, municipality


def current_period() -> tuple[dt.date, dt.date]:
    today = today_in_japan()
    return today - dt.timedelta(days=10), today + dt.timedelta(days=20)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A prefecture-wide campaign running today, open for registration."""

    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"県民活動促進月間{n}")
    description = "秋の県民活動促進月間です。"
    starts_on = factory.LazyFunction(lambda: current_period()[0])
    ends_on = factory.LazyFunction(lambda: current_period()[1])
    registration_open = True


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A resident's participation; pass group= for a group's."""

    class Meta:
        model = Participation

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    summary = "清掃活動を行います。"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    participation = factory.SubFactory(ParticipationFactory)
    title = "海岸清掃"
    date = factory.LazyAttribute(lambda o: o.participation.campaign.starts_on)
    place = "山口市秋穂"
    municipality = factory.LazyFunction(municipality)
    expected_participants = 10


class LoanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanItem

    name = factory.Sequence(lambda n: f"のぼり旗{n}")
    quantity = 5


class LoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loan

    item = factory.SubFactory(LoanItemFactory)
    participation = factory.SubFactory(ParticipationFactory)
    quantity = 1
    starts_on = factory.LazyAttribute(lambda o: o.participation.campaign.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.participation.campaign.starts_on)
    requested_by = factory.LazyAttribute(lambda o: o.participation.user)


def image_bytes(image_format: str = "JPEG", *, gps: bool = False) -> bytes:
    """Return a small image in *image_format*, with a GPS block if asked."""
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Test camera"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (34.0, 10.0, 30.0), 3: "E", 4: (131.0, 28.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, exif=exif.tobytes())
    return buffer.getvalue()


def upload(
    name: str = "photo.jpg", image_format: str = "JPEG", *, gps: bool = False
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(image_format, gps=gps), "image/jpeg")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    participation = factory.SubFactory(ParticipationFactory)
    image = factory.LazyFunction(lambda: upload())
    caption = "海岸清掃の様子"
    credit = "やまぐち里山の会"
    people = Photo.People.NONE_IDENTIFIABLE
    statement_at = factory.LazyFunction(timezone.now)
    uploaded_by = factory.LazyAttribute(lambda o: o.participation.user)


def group_participation(campaign: Campaign, staff_user) -> Participation:
    group = CivicGroupFactory()
    group.memberships.create(user=staff_user, role="admin")
    return ParticipationFactory(campaign=campaign, group=group, user=staff_user)
