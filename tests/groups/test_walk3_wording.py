"""Page wording: newsletter archive titles and the report overview header."""

import datetime as dt

import pytest
from django.urls import reverse

from groups.models import NewsletterIssue
from tests.groups.test_registration_flow import centre_staff_of

pytestmark = pytest.mark.django_db


def sent_issue(month, subject):
    return NewsletterIssue.objects.create(
        month=month, subject=subject, body="本文", status="sent"
    )


def test_archive_month_shown_once(japanese_client):
    sent_issue(dt.date(2026, 10, 1), "県民活動ニュース、2026年10月")

    html = japanese_client.get(reverse("groups:newsletter_archive")).content.decode()

    assert html.count("2026年10月") == 1


def test_archive_adds_month_missing_from_subject(japanese_client):
    sent_issue(dt.date(2026, 11, 1), "十一月号")

    html = japanese_client.get(reverse("groups:newsletter_archive")).content.decode()

    assert "十一月号" in html
    assert '<time datetime="2026-11">2026年11月</time>' in html


def test_report_overview_column_header(client, group):
    client.force_login(centre_staff_of("35203"))

    html = client.get(reverse("groups:report_overview")).content.decode()

    assert '<th scope="col">Filing status</th>' in html
    assert '<th scope="col">Report</th>' not in html
