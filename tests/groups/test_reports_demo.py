import datetime as dt

import pytest

from groups.demo_reports import load_report_demo
from groups.models import AnnualGroupReport, Consultation
from groups.services.reports import current_fiscal_year
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db


def test_demo_reports_load_once():
    groups = CivicGroupFactory.create_batch(10, registered_on=dt.date(2020, 4, 1))
    lines = []

    first = load_report_demo(seed=1, report=lines.append)
    second = load_report_demo(seed=1, report=lines.append)

    assert first["annual reports"] > 0
    assert first["consultations"] > 0
    assert second == {"annual reports": 0, "consultations": 0}
    years = set(AnnualGroupReport.objects.values_list("fiscal_year", flat=True))
    assert max(years) <= current_fiscal_year()
    assert all(r.participants_total > 0 for r in AnnualGroupReport.objects.all())
    assert {r.group_id for r in AnnualGroupReport.objects.all()} <= {
        g.pk for g in groups
    }
    assert Consultation.objects.filter(status="answered").exclude(answer="").exists()
    assert any("annual reports:" in line for line in lines)
