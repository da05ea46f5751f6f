import pytest

from tests.facilitation.factories import chief_facilitator, regional_facilitator
from tests.factories import UserFactory, centre_staff


@pytest.fixture
def chief(db):
    """The chief facilitator, appointed to the prefectural centre."""
    return chief_facilitator().user


@pytest.fixture
def regional(db):
    """A trained regional facilitator appointed to the first municipal centre."""
    return regional_facilitator().user


@pytest.fixture
def municipal_staff(db):
    """Staff of the first municipal centre, who is not prefectural staff."""
    return centre_staff(UserFactory(email="centre@example.jp"), scope="municipal")


@pytest.fixture
def prefectural_staff(db):
    """Staff of the prefectural centre, who counts as prefectural staff."""
    return centre_staff(UserFactory(email="prefecture@example.jp"))


@pytest.fixture
def stranger(db):
    """A signed-in resident with no role in the collaboration app."""
    return UserFactory(email="stranger@example.jp")
