"""The accessibility policy page shows the last audit's record."""

import pytest
from django.urls import reverse
from django.utils import translation

from civic_portal.accessibility import load_audit_record
from tests.browser.axe import pinned_axe_version


def test_record_matches_pinned_axe_core():
    # A new axe-core in package.json needs a new audit run and record.
    assert load_audit_record().axe_core_version == pinned_axe_version()


@pytest.mark.django_db
def test_policy_page_names_target_and_result(client):
    record = load_audit_record()
    html = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en").content
    text = html.decode()
    assert "JIS X 8341-3:2016" in text
    assert f"axe-core {pinned_axe_version()}" in text
    assert record.tested_on.isoformat() in text
    assert f"No violations on {record.pages} pages audited" in text


@pytest.mark.django_db
def test_policy_page_covers_staff_pages(client):
    html = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en").content
    text = html.decode()
    assert "Every page for staff and partners" in text
    assert "two-factor log-in" in text
    assert "not yet in the scope" not in text


@pytest.mark.django_db
def test_policy_page_in_japanese(client):
    with translation.override("ja"):
        path = reverse("accessibility")
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()
    assert f"axe-core {pinned_axe_version()}" in response.content.decode()


@pytest.mark.django_db
def test_footer_links_policy_page(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html
