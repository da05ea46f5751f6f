"""The API's not-found response: one translated text, no model names."""

import pytest
from rest_framework.exceptions import NotFound
from rest_framework.test import APIClient

from civic_portal.api_exceptions import exception_handler
from tests.facilitation.factories import municipal_centre, regional_facilitator

pytestmark = pytest.mark.django_db

MISSING_CASE = "/api/facilitation/cases/999999/"


@pytest.fixture
def signed_in_api():
    client = APIClient()
    client.force_authenticate(regional_facilitator(centre=municipal_centre(0)).user)
    return client


def test_missing_row_not_found_in_english(signed_in_api):
    response = signed_in_api.get(MISSING_CASE, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.data == {"detail": "Not found."}


def test_missing_row_not_found_in_japanese(signed_in_api):
    response = signed_in_api.get(MISSING_CASE, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 404
    assert response.data == {"detail": "見つかりませんでした。"}
    assert "CollaborationCase" not in response.content.decode()


def test_explicit_not_found_keeps_detail():
    response = exception_handler(NotFound("No such worker."), {})

    assert response is not None
    assert response.data == {"detail": "No such worker."}
