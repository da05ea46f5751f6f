import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from civic_portal.accounts.views import lockout_response

PUBLIC_PAGES = [
    "accounts:signup",
    "accounts:signup_done",
    "accounts:resend_confirmation",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "privacy",
]
SIGNED_IN_PAGES = [
    "accounts:dashboard",
    "accounts:profile",
    "accounts:password_change",
    "accounts:password_change_done",
]
LANGUAGES = ["ja", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders(client, db, name, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page_renders(client, resident, name, language):
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_failure_page_renders(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(reverse("accounts:confirm_email", args=["x"]))

    assert response.status_code == 400
    assert f'<html lang="{language}">' in response.content.decode()


LOCKOUT_MESSAGES = {
    "ja": "このメールアドレスでのログインに5回失敗しました。",
    "en": "There were 5 failed log-ins for this e-mail address",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_lockout_page_renders(db, language):
    request = RequestFactory().post(reverse("accounts:login"))
    request.LANGUAGE_CODE = language
    request.user = AnonymousUser()
    with translation.override(language):
        response = lockout_response(request)

    page = response.content.decode()
    assert response.status_code == 429
    assert f'<html lang="{language}">' in page
    assert LOCKOUT_MESSAGES[language] in page


def test_privacy_states_purposes(client, db):
    page = client.get(reverse("privacy")).content.decode()

    assert "Birth date" in page
    assert "high-school volunteer certification" in page
    assert "only after it has accepted you" in page
    assert "Interests: activity fields and municipalities" in page
    assert "How long we keep it" in page
    assert "Yamaguchi Prefectural Civic Activity Support Centre" in page
    assert "Pro bono worker registration" in page
    assert "only after you accept and only if you agreed" in page
    assert "Consultations and newsletter subscriptions" in page
    assert "Version 2 of this notice." in page


def test_signup_links_privacy_notice(client, db):
    page = client.get(reverse("accounts:signup")).content.decode()

    assert f'href="{reverse("privacy")}"' in page
    assert 'name="privacy_consent"' in page
