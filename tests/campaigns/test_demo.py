import pytest

from campaigns.demo import load_campaign_demo
from campaigns.models import Campaign, Loan, Photo
from tests.factories import GroupMembershipFactory, UserFactory, centre_staff
from volunteering.demo import DEMO_DOMAIN, LoadCounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts():
    centre_staff(UserFactory(email=f"centre@{DEMO_DOMAIN}"))
    UserFactory(email=f"resident@{DEMO_DOMAIN}")
    GroupMembershipFactory(user__email=f"staff@{DEMO_DOMAIN}")
    for _ in range(3):
        GroupMembershipFactory()


def test_demo_loads_both_campaigns(demo_accounts):
    counts = LoadCounts()

    load_campaign_demo(seed=2026, report=lambda line: None, counts=counts)

    assert Campaign.objects.count() == 2
    assert counts.created["campaigns"] == 2
    assert Photo.objects.in_gallery().exists()
    assert Loan.objects.filter(status=Loan.Status.REQUESTED).exists()


def test_demo_photos_show_no_people(demo_accounts):
    load_campaign_demo(seed=2026, report=lambda line: None, counts=LoadCounts())

    for photo in Photo.objects.all():
        assert photo.image.name.endswith(".jpg")
        assert photo.people == Photo.People.NONE_IDENTIFIABLE


def test_demo_second_run_creates_nothing(demo_accounts):
    load_campaign_demo(seed=2026, report=lambda line: None, counts=LoadCounts())
    counts = LoadCounts()

    load_campaign_demo(seed=2026, report=lambda line: None, counts=counts)

    assert counts.created.get("campaigns", 0) == 0
    assert counts.created.get("campaign photos", 0) == 0
    assert Campaign.objects.count() == 2


def test_demo_without_accounts_skips(db):
    lines = []

    load_campaign_demo(seed=2026, report=lines.append, counts=LoadCounts())

    assert not Campaign.objects.exists()
    assert "missing" in lines[0]
