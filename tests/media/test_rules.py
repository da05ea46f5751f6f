"""Every upload folder has a rule, and file types come from the content."""

import pytest
from django.apps import apps
from django.db import models

from civic_portal.media.content_types import sniff_content_type
from civic_portal.media.rules import MEDIA_RULES, rule_for
from civic_portal.media.views import clean_name


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def test_file_fields_found():
    labels = {f"{model._meta.label}.{field.name}" for model, field in file_fields()}

    assert "campaigns.Photo.image" in labels
    assert "volunteering.PostPhoto.image" in labels


@pytest.mark.parametrize(
    ("model", "field"),
    file_fields(),
    ids=lambda value: getattr(value, "__name__", getattr(value, "name", "")),
)
def test_every_file_field_has_rule(model, field):
    name = field.generate_filename(model(), "sample.jpg")

    rule = rule_for(name)

    assert rule is not None, f"No rule in MEDIA_RULES for {name!r}"
    assert rule.model == model._meta.label
    assert field.name in rule.fields


def test_rules_name_real_fields():
    for rule in MEDIA_RULES:
        if not rule.model:
            assert rule.access is None
            assert rule.served_by
            continue
        model = apps.get_model(rule.model)
        for field_name in rule.fields:
            assert isinstance(model._meta.get_field(field_name), models.FileField)
        if rule.access is None:
            assert rule.served_by, rule.prefix


def test_longest_prefix_wins():
    rule = rule_for("campaigns/photos/abc.jpg")

    assert rule is not None
    assert rule.model == "campaigns.Photo"


def test_unknown_prefix_has_no_rule():
    assert rule_for("secrets/key.pem") is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"<html><script>alert(1)</script>", "application/octet-stream"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>", "application/octet-stream"),
        (b"RIFF\x10\x00\x00\x00WAVE", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniff_content_type(head, expected):
    assert sniff_content_type(head) == expected


@pytest.mark.parametrize(
    "path",
    [
        "",
        "../settings.py",
        "posts/../../etc/passwd",
        "posts/./a.jpg",
        "posts//a.jpg",
        "/etc/passwd",
        "posts\\..\\a.jpg",
        "posts/a.jpg\x00.png",
        "posts/",
        "..",
    ],
)
def test_clean_name_rejects(path):
    assert clean_name(path) is None


def test_clean_name_keeps_plain_path():
    assert clean_name("posts/2026/12/写真.jpg") == "posts/2026/12/写真.jpg"
