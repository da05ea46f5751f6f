import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from facilitation.models import Partner
from tests.facilitation.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("flag", ["offers_volunteer_leave", "takes_part_in_probono"])
def test_company_flags_allowed_for_company(flag):
    partner = PartnerFactory.build(kind=Partner.Kind.COMPANY, **{flag: True})

    partner.full_clean()


@pytest.mark.parametrize(
    "kind", [kind for kind in Partner.Kind.values if kind != Partner.Kind.COMPANY]
)
@pytest.mark.parametrize("flag", ["offers_volunteer_leave", "takes_part_in_probono"])
def test_company_flags_rejected_for_other_kinds(kind, flag):
    partner = PartnerFactory.build(kind=kind, **{flag: True})

    with pytest.raises(ValidationError) as raised:
        partner.full_clean()

    assert flag in raised.value.message_dict


def test_company_flags_rejected_by_database():
    with pytest.raises(IntegrityError):
        PartnerFactory(kind=Partner.Kind.UNIVERSITY, offers_volunteer_leave=True)


def test_search_text_normalised():
    partner = PartnerFactory(name="ﾔﾏｸﾞﾁ・テック")

    assert partner.search_text.startswith("やまぐち・てっく")
