"""The registration form marks which fields the public page shows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from groups.forms_registration import PRIVATE_NOTE, PUBLIC_NOTE, RegistrationForm
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db

PRIVATE_FIELDS = {"contact_name", "contact_email", "contact_phone"}

# A value for each field in a section marked public, as the public page
# writes it.
PUBLIC_VALUES = {
    "name": "ひかり子ども食堂の会",
    "name_kana": "ひかりこどもしょくどうのかい",
    "corporate_number": "7000012050002",
    "representative": "周南 次郎",
    "founded_on": dt.date(2019, 4, 1),
    "member_count": 23,
    "description": "放課後の居場所をつくっています。",
    "postal_code": "745-0001",
    "address": "周南市本町1-2-3",
    "public_email": "hikari@example.jp",
    "public_phone": "0834-22-0000",
    "website": "https://hikari.example.jp/",
}
PRIVATE_VALUES = {
    "contact_name": "非公開 連絡子",
    "contact_email": "private-contact@example.jp",
    "contact_phone": "090-1111-2222",
}


def sections_by_field():
    return {
        field.name: fieldset
        for fieldset in RegistrationForm().fieldsets()
        for field in fieldset.fields
    }


def test_private_fields_marked_private():
    sections = sections_by_field()

    for name in PRIVATE_FIELDS:
        assert sections[name].note == PRIVATE_NOTE, name


@pytest.mark.parametrize(
    "name",
    ["name", "representative", "address", "postal_code", "public_email", "website"],
)
def test_public_fields_marked_public(name):
    assert sections_by_field()[name].note == PUBLIC_NOTE


def test_public_sections_match_public_page(client):
    """Every field in a public section is on the page, and no private one."""
    group = CivicGroupFactory(
        **PUBLIC_VALUES,
        **PRIVATE_VALUES,
        social_links=["https://sns.example.jp/hikari"],
    )
    public_names = {
        name
        for name, fieldset in sections_by_field().items()
        if fieldset.note == PUBLIC_NOTE
    }
    content = client.get(reverse("groups:detail", args=[group.pk])).content.decode()

    assert set(PUBLIC_VALUES) <= public_names
    for name, value in PUBLIC_VALUES.items():
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        assert shown in content, name
    assert "https://sns.example.jp/hikari" in content
    for name, value in PRIVATE_VALUES.items():
        assert value not in content, name


def test_register_page_explains_disclosure(client, resident):
    client.force_login(resident)

    content = client.get(reverse("groups:register")).content.decode()

    assert "everything in this form except the private contact is published" in (
        content
    )
    assert content.count(escape(str(PUBLIC_NOTE))) == 4
    assert 'aria-describedby="fieldset-note-1"' in content
    assert "They never appear on public pages" in content
