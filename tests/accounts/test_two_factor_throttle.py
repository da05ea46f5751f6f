"""Wrong two-factor codes slow a user down for minutes, never for hours.

django-otp doubles the wait after each wrong code without a practical
limit, and cap_failure_count keeps it within TWO_FACTOR_MAX_WAIT_SECONDS. The code
forms also count against the two_factor request limit.
"""

import datetime as dt
import gettext
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from civic_portal.accounts import two_factor
from civic_portal.accounts.forms_two_factor import wait_text
from tests.accounts.test_two_factor import (
    add_confirmed_device,
    code_for,
    make_concierge,
)

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/verify/"
THROTTLED_MSGID = "Too many wrong codes. Wait %(wait)s and try again, from %(time)s."


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_ENFORCED = True
    settings.TWO_FACTOR_MAX_WAIT_SECONDS = 300
    settings.OTP_TOTP_THROTTLE_FACTOR = 1


def failed_earlier(device: TOTPDevice, count: int, seconds_ago: float) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=count,
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=seconds_ago),
    )
    device.refresh_from_db()


@pytest.mark.parametrize(
    ("factor", "cap", "expected"),
    [
        (1, 300, 9),  # waits 1, 2, ... 128, then 256 s
        (2, 300, 8),  # waits 2, 4, ... 256 s
        (1, 256, 9),
        (1, 255, 8),
        (10, 5, 1),  # the first wait is already above the cap
    ],
)
def test_max_failure_count(settings, factor, cap, expected):
    settings.TWO_FACTOR_MAX_WAIT_SECONDS = cap

    assert two_factor.max_failure_count(factor) == expected


def test_wait_capped_after_many_failures():
    device, _codes = add_confirmed_device(make_concierge())
    failed_earlier(device, count=30, seconds_ago=0)

    result = two_factor.check_code(device, "000000")

    assert result.check is two_factor.CodeCheck.THROTTLED
    assert result.retry_at is not None
    wait = (result.retry_at - timezone.now()).total_seconds()
    assert 250 < wait <= 256
    device.refresh_from_db()
    assert device.throttling_failure_count == 9


def test_code_accepted_after_capped_wait():
    device, _codes = add_confirmed_device(make_concierge())
    # Without the cap, 30 failures would lock the device for 2**29 s.
    failed_earlier(device, count=30, seconds_ago=257)

    result = two_factor.check_code(device, code_for(device))

    assert result.check is two_factor.CodeCheck.ACCEPTED


def test_wrong_code_after_cap_waits_again():
    device, _codes = add_confirmed_device(make_concierge())
    failed_earlier(device, count=30, seconds_ago=257)

    rejected = two_factor.check_code(device, "000000")
    throttled = two_factor.check_code(device, code_for(device))

    assert rejected.check is two_factor.CodeCheck.REJECTED
    assert throttled.check is two_factor.CodeCheck.THROTTLED
    assert throttled.retry_at is not None
    assert (throttled.retry_at - timezone.now()).total_seconds() <= 256


def test_few_failures_keep_short_wait():
    device, _codes = add_confirmed_device(make_concierge())
    failed_earlier(device, count=3, seconds_ago=0)

    result = two_factor.check_code(device, code_for(device))

    assert result.check is two_factor.CodeCheck.THROTTLED
    assert result.retry_at is not None
    assert (result.retry_at - timezone.now()).total_seconds() <= 4
    device.refresh_from_db()
    assert device.throttling_failure_count == 3


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (1, "1 second"),
        (16, "16 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (256, "5 minutes"),
    ],
)
def test_wait_text(seconds, expected):
    assert wait_text(seconds) == expected


def test_verify_page_shows_wait(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    failed_earlier(device, count=30, seconds_ago=10)
    client.force_login(user)

    response = client.post(VERIFY, {"code": code_for(device)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Too many wrong codes. Wait 5 minutes and try again, from " in page
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def japanese_catalog_has(msgid: str) -> bool:
    locale = Path(django_settings.BASE_DIR) / "locale"
    catalog = gettext.translation("django", locale, languages=["ja"])
    return catalog.gettext(msgid) != msgid


@pytest.mark.skipif(
    not japanese_catalog_has(THROTTLED_MSGID),
    reason="the Japanese catalog has no translation of the throttle message yet",
)
def test_verify_page_wait_in_japanese(japanese_client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    failed_earlier(device, count=30, seconds_ago=10)
    japanese_client.force_login(user)

    with translation.override("ja"):
        response = japanese_client.post(VERIFY, {"code": code_for(device)})

    page = response.content.decode()
    assert "5分" in page
    assert "Too many wrong codes" not in page


def test_verify_form_rate_limited(client, settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two_factor": "2/600"}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "two-factor-rate-limit-tests",
        }
    }
    user = make_concierge()
    add_confirmed_device(user)
    client.force_login(user)

    responses = [client.post(VERIFY, {"code": "000000"}) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    assert int(responses[-1]["Retry-After"]) <= 600
    from django.core.cache import cache

    cache.clear()
