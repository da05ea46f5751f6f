import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.urls import reverse

from civic_portal.privacy.document import REGISTER_PATH, build_register_markdown
from civic_portal.privacy.register import (
    REGISTER,
    REVIEWED_NOT_PERSONAL,
    declared_fields,
    find_personal_fields,
)


def _field_names(label: str) -> set[str]:
    model = apps.get_model(label)
    return {field.name for field in model._meta.get_fields()}


def test_every_personal_field_is_declared():
    declared = declared_fields()
    undeclared = [
        f"{label}.{name}"
        for label, name in find_personal_fields()
        if name not in declared.get(label, set())
        and name not in REVIEWED_NOT_PERSONAL.get(label, {})
    ]
    assert undeclared == [], (
        "Declare these fields in civic_portal/privacy/register.py, or list them "
        "in REVIEWED_NOT_PERSONAL with the reason: " + ", ".join(undeclared)
    )


def test_declared_fields_exist():
    missing = [
        f"{entry.model}.{name}"
        for entry in REGISTER
        for name in entry.fields
        if name not in _field_names(entry.model)
    ]
    assert missing == []


def test_reviewed_fields_exist():
    missing = [
        f"{label}.{name}"
        for label, reasons in REVIEWED_NOT_PERSONAL.items()
        for name in reasons
        if name not in _field_names(label)
    ]
    assert missing == []


def test_detector_flags_known_fields():
    found = set(find_personal_fields())
    assert ("accounts.User", "email") in found
    assert ("accounts.User", "full_name") in found
    assert ("notifications.LineLink", "line_user_id") in found
    assert ("partner_links.ProgrammeEnrolment", "membership_id") in found
    assert ("volunteering.Application", "message") in found
    assert ("groups.Municipality", "name") not in found


def test_subject_paths_lead_to_user():
    user_label = settings.AUTH_USER_MODEL
    for entry in REGISTER:
        if not entry.subject:
            continue
        model = entry.model_class
        if entry.subject == "pk":
            assert model._meta.label == user_label
            continue
        for part in entry.subject.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                pytest.fail(f"{entry.model}: no field {part!r} in {entry.subject!r}")
            model = field.related_model
        assert model._meta.label == user_label, entry.model


def test_committed_register_is_current():
    committed = (Path(settings.BASE_DIR) / REGISTER_PATH).read_text(encoding="utf-8")
    assert committed == build_register_markdown(), (
        "docs/personal-data-register.md is stale: run "
        "python manage.py personal_data_register"
    )


def test_command_writes_register(tmp_path, settings):
    (tmp_path / "docs").mkdir()
    settings.BASE_DIR = tmp_path
    call_command("personal_data_register", stdout=io.StringIO())
    written = (tmp_path / REGISTER_PATH).read_text(encoding="utf-8")
    assert written == build_register_markdown()


@pytest.mark.django_db
def test_privacy_page_lists_every_kind(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("privacy"))
    body = response.content.decode()
    assert response.status_code == 200
    for entry in REGISTER:
        assert str(entry.kind.purpose) in body.replace("&#x27;", "'")
    assert "LINE user ID" in body
    assert reverse("privacy:my_data") in body


@pytest.mark.django_db
def test_privacy_page_in_japanese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = client.get(reverse("privacy"))
    body = response.content.decode()
    assert "利用目的" in body
    assert "ご本人、ポータル管理者。団体が生年月日を見ることはできません。" in body
