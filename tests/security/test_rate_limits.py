"""Request limits on log-in, password reset, applying, search and export.

Each test turns the limits on with a rate of two requests, so the third
request from the same client gets the 429 page (or JSON in the API).
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from civic_portal.security import ratelimit
from civic_portal.security.throttling import ActionScopedRateThrottle
from tests.factories import (
    CivicGroupFactory,
    UserFactory,
    VolunteerPostFactory,
    centre_staff,
)
from tests.indicators.rows_data import FISCAL_YEAR
from tests.probono.factories_case_studies import concierge_user
from volunteering.api.views import MyApplicationViewSet, PostViewSet

pytestmark = pytest.mark.django_db

LIMIT = 2


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {
        scope: f"{LIMIT}/600"
        for scope in ("login", "password_reset", "apply", "search", "export")
    }
    # A cache of this test's own, so counts neither leak in nor out.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rate-limit-tests",
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()


def send_until_limited(send) -> list:
    return [send() for _ in range(LIMIT + 1)]


def assert_limited_page(responses):
    *allowed, limited = responses
    for response in allowed:
        assert response.status_code != 429
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 600
    assert "Too many requests" in limited.content.decode()


def test_login_limited(client):
    responses = send_until_limited(
        lambda: client.post(
            "/accounts/login/", {"username": "a@example.jp", "password": "wrong"}
        )
    )

    assert_limited_page(responses)


def test_login_page_view_not_counted(client):
    for _ in range(LIMIT + 1):
        response = client.get("/accounts/login/")

        assert response.status_code == 200


def test_password_reset_limited(client):
    responses = send_until_limited(
        lambda: client.post("/accounts/password-reset/", {"email": "a@example.jp"})
    )

    assert_limited_page(responses)


def test_apply_limited(client, resident):
    post = VolunteerPostFactory()
    client.force_login(resident)

    responses = send_until_limited(
        lambda: client.post(f"/volunteer/posts/{post.pk}/apply/", {})
    )

    assert_limited_page(responses)


def test_apply_link_limited(client, resident):
    client.force_login(resident)

    responses = send_until_limited(
        lambda: client.post("/volunteer/apply/not-a-token/", {})
    )

    assert_limited_page(responses)


def test_search_limited(client):
    responses = send_until_limited(lambda: client.get("/volunteer/", {"q": "海"}))

    assert_limited_page(responses)


def test_group_export_limited(client):
    CivicGroupFactory()

    responses = send_until_limited(lambda: client.get("/groups/export.csv"))

    assert_limited_page(responses)


def test_centre_export_limited(client):
    client.force_login(centre_staff(UserFactory(email="centre@example.jp")))

    responses = send_until_limited(lambda: client.get("/centre/groups/export.csv"))

    assert_limited_page(responses)


def test_indicator_rows_export_limited(client):
    client.force_login(centre_staff(UserFactory(email="pref@example.jp")))
    url = f"/indicators/civic_groups/{FISCAL_YEAR}/rows/"

    responses = send_until_limited(lambda: client.get(url, {"format": "csv"}))

    assert_limited_page(responses)
    assert client.get(url).status_code == 200


def test_probono_statistics_export_limited(client):
    client.force_login(concierge_user())

    responses = send_until_limited(
        lambda: client.get("/probono/statistics/", {"format": "xlsx"})
    )

    assert_limited_page(responses)
    assert client.get("/probono/statistics/").status_code == 200


def test_hours_pdf_limited(client, resident):
    client.force_login(resident)

    responses = send_until_limited(lambda: client.get("/volunteer/my/hours.pdf"))

    assert_limited_page(responses)


def test_limit_counts_per_user(client, resident, other_resident):
    post = VolunteerPostFactory()
    client.force_login(resident)
    send_until_limited(lambda: client.post(f"/volunteer/posts/{post.pk}/apply/", {}))

    client.force_login(other_resident)
    response = client.post(f"/volunteer/posts/{post.pk}/apply/", {})

    assert response.status_code != 429


def test_limit_counts_per_address(client):
    send_until_limited(lambda: client.get("/volunteer/", REMOTE_ADDR="192.0.2.1"))

    response = client.get("/volunteer/", REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 200


def test_limits_off_by_setting(client, settings):
    settings.RATE_LIMIT_ENABLED = False

    for _ in range(LIMIT + 1):
        response = client.get("/volunteer/")

        assert response.status_code == 200


def test_limited_page_in_japanese(japanese_client):
    responses = send_until_limited(lambda: japanese_client.get("/volunteer/"))

    assert responses[-1].status_code == 429
    assert '<html lang="ja"' in responses[-1].content.decode()


@pytest.mark.parametrize(
    "text", ["", "30", "30/", "a/b", "0/60", "30/0", "1/2/3"], ids=repr
)
def test_invalid_rate_rejected(text):
    with pytest.raises(ImproperlyConfigured, match="Invalid rate limit"):
        ratelimit.parse_rate(text)


def test_unknown_scope_rejected():
    with pytest.raises(ImproperlyConfigured, match="no rate for the scope"):
        ratelimit.rate_limit("no-such-scope")


# The API: DRF throttles bound to the views when the test settings load
# have no throttle classes, so these tests put the portal's scoped
# throttle on the viewsets and give it small rates.


@pytest.fixture
def api_throttles(monkeypatch):
    rates = {"search": f"{LIMIT}/min", "apply": f"{LIMIT}/hour"}
    monkeypatch.setattr(ActionScopedRateThrottle, "THROTTLE_RATES", rates)
    for viewset in (PostViewSet, MyApplicationViewSet):
        monkeypatch.setattr(viewset, "throttle_classes", [ActionScopedRateThrottle])


def test_api_search_throttled(api_throttles):
    api = APIClient()

    responses = send_until_limited(lambda: api.get("/api/posts/"))

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[-1]["Content-Type"] == "application/json"
    assert "detail" in responses[-1].json()
    assert int(responses[-1]["Retry-After"]) > 0


def test_api_apply_throttled(api_throttles, resident):
    api = APIClient()
    api.force_login(resident)

    responses = send_until_limited(
        lambda: api.post("/api/my/applications/", {}, format="json")
    )

    assert [r.status_code for r in responses] == [400, 400, 429]
    assert "detail" in responses[-1].json()


def test_api_application_list_not_throttled(api_throttles, resident):
    api = APIClient()
    api.force_login(resident)

    for _ in range(LIMIT + 1):
        response = api.get("/api/my/applications/")

        assert response.status_code == 200


# The client address behind reverse proxies


def test_client_address_is_remote_addr_by_default(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert ratelimit.client_ip(request) == "192.0.2.9"


def test_client_address_behind_one_proxy(rf, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # A client may send its own X-Forwarded-For; the proxy appends the
    # address it saw, which is the one that counts.
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 192.0.2.7"
    )

    assert ratelimit.client_ip(request) == "192.0.2.7"


def test_axes_uses_same_client_address(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.7")

    assert get_client_ip_address(request) == "192.0.2.7"
