import pytest
from django.urls import reverse

from civic_portal.api_urls import router
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_detail_routes_match_digits_only():
    for prefix, viewset, _basename in router.registry:
        regex = router.get_lookup_regex(viewset)
        if hasattr(viewset, "lookup_value_regex"):
            assert viewset.lookup_value_regex in regex, prefix
        else:
            assert regex.endswith(">[0-9]+)"), prefix


@pytest.mark.parametrize("key", ["abc", "null,null", "1.5", "-1"])
def test_non_numeric_key_not_found(client, key):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/api/probono/case-studies/{key}/consent/",
        {"party": "group"},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_numeric_key_reaches_view(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("probono-case-study-consent", args=[999999]),
        {"party": "group"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert "case study" in response.json()["detail"]
