import datetime as dt
import html
import re
import urllib.parse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import LineLink, LineLinkNonce, LineLinkToken
from tests.notifications.fake_line import account_link_event, event, make_user_id

pytestmark = pytest.mark.django_db

LINK_PATH = "/notifications/line/link/"
CONFIRMATION_EN = (
    "Your LINE account is now linked to the portal. Choose how notifications "
    "reach you, or unlink, on your profile:"
)


def follow(line, post_webhook, line_user_id):
    """Follow the account and return the link token from the pushed invitation."""
    post_webhook(event("follow", line_user_id))
    text = line.pushed_texts(line_user_id)[-1]
    url = urllib.parse.urlsplit(text.splitlines()[-1])
    assert url.path == LINK_PATH
    return urllib.parse.parse_qs(url.query)["linkToken"][0]


def confirm(client, link_token):
    """Confirm the link as the signed-in user; return the continue page."""
    response = client.post(LINK_PATH, {"linkToken": link_token})
    assert response.status_code == 200
    return response


def redirect_query(response):
    """Return the query of the page's link to LINE's account-link dialog."""
    match = re.search(r'href="([^"]+)" data-line-account-link', response.text)
    assert match is not None
    url = urllib.parse.urlsplit(html.unescape(match.group(1)))
    assert f"{url.scheme}://{url.netloc}{url.path}" == settings.LINE_ACCOUNT_LINK_URL
    return urllib.parse.parse_qs(url.query)


def start_link(line, post_webhook, client, user):
    """Run the flow up to LINE's dialog; return the LINE user ID and the nonce."""
    line_user_id = make_user_id()
    link_token = follow(line, post_webhook, line_user_id)
    client.force_login(user)
    query = redirect_query(confirm(client, link_token))
    assert query["linkToken"] == [link_token]
    return line_user_id, query["nonce"][0]


def test_full_flow_links_account(line, post_webhook, client, resident):
    line_user_id = make_user_id()
    link_token = follow(line, post_webhook, line_user_id)
    client.force_login(resident)

    page = client.get(LINK_PATH, {"linkToken": link_token})
    response = confirm(client, link_token)
    nonce = redirect_query(response)["nonce"][0]
    post_webhook(account_link_event(line_user_id, nonce))

    assert page.status_code == 200
    assert resident.email in page.content.decode()
    link = LineLink.objects.get()
    assert link.user == resident
    assert link.line_user_id == line_user_id
    assert link.delivery == LineLink.Delivery.LINE_AND_MAIL
    assert line.problems == []


@pytest.mark.parametrize("language", ["ja", "en"])
def test_link_confirmed_on_line(line, post_webhook, client, resident, language):
    resident.preferred_language = language
    resident.save()
    line_user_id, nonce = start_link(line, post_webhook, client, resident)

    post_webhook(account_link_event(line_user_id, nonce))

    [_invitation, confirmation] = line.pushed_texts(line_user_id)
    with translation.override(language):
        intro = gettext(CONFIRMATION_EN)
    assert confirmation == f"{intro}\nhttps://portal.example.jp/accounts/profile/"


def test_nonce_is_random_and_stored_hashed(line, post_webhook, client, resident):
    _line_user_id, nonce = start_link(line, post_webhook, client, resident)

    record = LineLinkNonce.objects.get()
    assert len(nonce) >= 32
    assert record.nonce_hash != nonce
    assert nonce not in record.nonce_hash
    assert record.expires_at - record.created_at == dt.timedelta(minutes=10)


def test_link_page_needs_login(line, post_webhook, client):
    link_token = follow(line, post_webhook, make_user_id())

    response = client.get(LINK_PATH, {"linkToken": link_token})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert urllib.parse.quote(link_token) in response["Location"]


def test_unknown_link_token_rejected(line, client, resident):
    client.force_login(resident)

    page = client.get(LINK_PATH, {"linkToken": "made-up"})
    post = client.post(LINK_PATH, {"linkToken": "made-up"})

    assert page.status_code == 400
    assert post.status_code == 400
    assert not LineLinkNonce.objects.exists()


def test_expired_link_token_rejected(line, post_webhook, client, resident):
    link_token = follow(line, post_webhook, make_user_id())
    LineLinkToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(resident)

    response = client.post(LINK_PATH, {"linkToken": link_token})

    assert response.status_code == 400


def test_link_token_confirmed_once(line, post_webhook, client, resident):
    link_token = follow(line, post_webhook, make_user_id())
    client.force_login(resident)
    confirm(client, link_token)

    again = client.post(LINK_PATH, {"linkToken": link_token})

    assert again.status_code == 400
    assert LineLinkNonce.objects.count() == 1


def test_other_resident_cannot_reuse_link_token(
    line, post_webhook, client, resident, other_resident
):
    link_token = follow(line, post_webhook, make_user_id())
    client.force_login(resident)
    confirm(client, link_token)
    other = Client()
    other.force_login(other_resident)

    response = other.post(LINK_PATH, {"linkToken": link_token})

    assert response.status_code == 400
    assert not LineLinkNonce.objects.filter(user=other_resident).exists()


def test_nonce_reuse_rejected(line, post_webhook, client, resident):
    line_user_id, nonce = start_link(line, post_webhook, client, resident)
    post_webhook(account_link_event(line_user_id, nonce))
    LineLink.objects.all().delete()

    post_webhook(account_link_event(line_user_id, nonce))

    assert not LineLink.objects.exists()


def test_expired_nonce_rejected(line, post_webhook, client, resident):
    line_user_id, nonce = start_link(line, post_webhook, client, resident)
    LineLinkNonce.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    post_webhook(account_link_event(line_user_id, nonce))

    assert not LineLink.objects.exists()


def test_other_line_account_cannot_complete_link(line, post_webhook, client, resident):
    _line_user_id, nonce = start_link(line, post_webhook, client, resident)
    intruder = make_user_id()

    post_webhook(account_link_event(intruder, nonce))

    assert not LineLink.objects.exists()
    assert LineLinkNonce.objects.get().used_at is None


def test_unknown_nonce_rejected(line, post_webhook, resident):
    post_webhook(account_link_event(make_user_id(), "guessed-nonce"))

    assert not LineLink.objects.exists()


def test_failed_result_uses_up_nonce(line, post_webhook, client, resident):
    line_user_id, nonce = start_link(line, post_webhook, client, resident)

    post_webhook(account_link_event(line_user_id, nonce, result="failed"))
    post_webhook(account_link_event(line_user_id, nonce))

    assert not LineLink.objects.exists()
    assert LineLinkNonce.objects.get().used_at is not None


def test_relink_moves_line_account(
    line, post_webhook, client, resident, other_resident
):
    line_user_id = make_user_id()
    link_token = follow(line, post_webhook, line_user_id)
    # The same LINE account, linked to another resident in the meantime.
    LineLink.objects.create(user=other_resident, line_user_id=line_user_id)
    client.force_login(resident)
    nonce = redirect_query(confirm(client, link_token))["nonce"][0]

    post_webhook(account_link_event(line_user_id, nonce))

    assert list(LineLink.objects.values_list("user", flat=True)) == [resident.pk]


def test_link_pages_off_without_channel(settings, client, resident):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    client.force_login(resident)

    assert client.get(LINK_PATH, {"linkToken": "x"}).status_code == 404
    assert client.get(reverse("notifications:line_link_help")).status_code == 404


# Unlink and unfollow


def test_unlink_removes_link(linked_resident, client):
    client.force_login(linked_resident)

    response = client.post(reverse("notifications:line_unlink"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert not LineLink.objects.exists()


def test_unlink_needs_post(linked_resident, client):
    client.force_login(linked_resident)

    response = client.get(reverse("notifications:line_unlink"))

    assert response.status_code == 405
    assert LineLink.objects.exists()


def test_unlink_needs_csrf_token(linked_resident):
    strict_client = Client(enforce_csrf_checks=True)
    strict_client.force_login(linked_resident)

    response = strict_client.post(reverse("notifications:line_unlink"))

    assert response.status_code == 403
    assert LineLink.objects.exists()


def test_unlink_needs_login(linked_resident, client):
    response = client.post(reverse("notifications:line_unlink"))

    assert response.status_code == 302
    assert LineLink.objects.exists()


def test_unlink_touches_only_own_link(linked_resident, other_resident, client):
    client.force_login(other_resident)

    client.post(reverse("notifications:line_unlink"))

    assert LineLink.objects.filter(user=linked_resident).exists()


def test_unfollow_removes_link(linked_resident, line, post_webhook):
    line_user_id = LineLink.objects.get().line_user_id

    response = post_webhook(event("unfollow", line_user_id))

    assert response.status_code == 200
    assert not LineLink.objects.exists()


def test_unfollow_cancels_started_link(line, post_webhook, client, resident):
    line_user_id, nonce = start_link(line, post_webhook, client, resident)

    post_webhook(event("unfollow", line_user_id))
    post_webhook(account_link_event(line_user_id, nonce))

    assert not LineLink.objects.exists()


# Delivery choice


def test_delivery_choice_saved(linked_resident, client):
    client.force_login(linked_resident)

    response = client.post(reverse("notifications:line_delivery"), {"delivery": "line"})

    assert response.status_code == 302
    assert LineLink.objects.get().delivery == LineLink.Delivery.LINE


def test_choosing_line_again_clears_switch(linked_resident, client):
    LineLink.objects.update(
        delivery=LineLink.Delivery.MAIL,
        switched_to_mail_at=timezone.now(),
        consecutive_failures=8,
    )
    client.force_login(linked_resident)

    client.post(reverse("notifications:line_delivery"), {"delivery": "line_and_mail"})

    link = LineLink.objects.get()
    assert link.delivery == LineLink.Delivery.LINE_AND_MAIL
    assert link.switched_to_mail_at is None
    assert link.consecutive_failures == 0


def test_invalid_delivery_choice_rejected(linked_resident, client):
    client.force_login(linked_resident)

    client.post(reverse("notifications:line_delivery"), {"delivery": "fax"})

    assert LineLink.objects.get().delivery == LineLink.Delivery.LINE_AND_MAIL


def test_delivery_choice_without_link(resident, client, line):
    client.force_login(resident)

    response = client.post(reverse("notifications:line_delivery"), {"delivery": "line"})

    assert response.status_code == 302
    assert not LineLink.objects.exists()
