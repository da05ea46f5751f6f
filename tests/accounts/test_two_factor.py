"""Two-factor log-in: who needs it, verify, set-up, replace, turn off, reset."""

import io
import logging
import time

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civic_portal.accounts import two_factor
from civic_portal.accounts.middleware import TWO_FACTOR_NOT_NEEDED_UNTIL_KEY
from probono.permissions import CONCIERGE_GROUP
from tests.facilitation.factories import regional_facilitator
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    ProbonoWorkerFactory,
    UserFactory,
    centre_staff,
)
from tests.partner_links.factories import PointsProgrammeFactory

PASSWORD = "correct horse 42"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_ENFORCED = True


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """Return the device's code for the time step *steps_ahead* from now.

    The device accepts one step either side and never the same step twice,
    so a test that verifies twice uses the next step the second time.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def add_confirmed_device(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.pending_totp_device(user)
    codes = two_factor.confirm_totp_device(user=user, device=device)
    device.refresh_from_db()
    return device, codes


def password_login(client, email: str, next_url: str = "") -> object:
    url = reverse("accounts:login")
    if next_url:
        url += f"?next={next_url}"
    data = {"username": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def make_concierge():
    user = UserFactory(email="concierge@example.jp")
    user.groups.add(Group.objects.get_or_create(name=CONCIERGE_GROUP)[0])
    return user


def make_facilitator():
    return regional_facilitator(email="facilitator@example.jp").user


def make_municipal_centre_staff():
    return centre_staff(UserFactory(email="centre@example.jp"), scope="municipal")


def make_prefectural_staff():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


def make_django_staff():
    return UserFactory(email="staff@example.jp", is_staff=True)


def make_superuser():
    return UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)


def make_resident():
    return UserFactory(email="resident@example.jp")


def make_group_staff():
    membership = GroupMembershipFactory(
        group=CivicGroupFactory(), user=UserFactory(email="groupstaff@example.jp")
    )
    return membership.user


def make_partner_account():
    user = UserFactory(email="partner@health.example.jp")
    PointsProgrammeFactory().partner_accounts.add(user)
    return user


def make_probono_worker():
    return ProbonoWorkerFactory(user__email="worker@example.jp").user


REQUIRED_ROLES = {
    "concierge": make_concierge,
    "facilitator": make_facilitator,
    "municipal centre staff": make_municipal_centre_staff,
    "prefectural staff": make_prefectural_staff,
    "django staff": make_django_staff,
    "superuser": make_superuser,
    "health-points partner": make_partner_account,
}
OPTIONAL_ROLES = {
    "resident": make_resident,
    "group staff": make_group_staff,
    "pro bono worker": make_probono_worker,
}


# -- Who must use it ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_required_for_role(role):
    user = REQUIRED_ROLES[role]()

    assert two_factor.two_factor_required(user) is True


@pytest.mark.django_db
@pytest.mark.parametrize("role", OPTIONAL_ROLES)
def test_optional_for_role(role):
    user = OPTIONAL_ROLES[role]()

    assert two_factor.two_factor_required(user) is False


def test_not_required_for_anonymous():
    assert two_factor.two_factor_required(AnonymousUser()) is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_required_role_without_device_sent_to_setup(client, role):
    user = REQUIRED_ROLES[role]()
    client.force_login(user)

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    setup_url = reverse("accounts:two_factor_setup")
    assert response["Location"] == f"{setup_url}?next=/accounts/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", OPTIONAL_ROLES)
def test_optional_role_without_device_passes(client, role):
    client.force_login(OPTIONAL_ROLES[role]())

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", {**REQUIRED_ROLES, **OPTIONAL_ROLES})
def test_any_role_with_device_sent_to_verify(client, role):
    user = {**REQUIRED_ROLES, **OPTIONAL_ROLES}[role]()
    add_confirmed_device(user)

    response = password_login(client, user.email)
    assert response.status_code == 302
    response = client.get(response["Location"])

    assert response.status_code == 302
    verify_url = reverse("accounts:two_factor_verify")
    assert response["Location"] == f"{verify_url}?next=/accounts/"


@pytest.mark.django_db
def test_rule_off_lets_staff_through(client, settings):
    settings.TWO_FACTOR_ENFORCED = False
    client.force_login(make_concierge())

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 200


# -- What an unverified user can reach ---------------------------------------


@pytest.mark.django_db
def test_unverified_staff_reach_only_setup_logout_language(client):
    client.force_login(make_concierge())

    setup = client.get(reverse("accounts:two_factor_setup"))
    language = client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    home = client.get(reverse("home"))
    profile = client.get(reverse("accounts:profile"))
    admin = client.get("/admin/")
    logout = client.post(reverse("accounts:logout"))

    assert setup.status_code == 200
    assert language.status_code == 302
    assert language["Location"] == "/"
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert profile.status_code == 302
    assert profile["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert logout.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_unverified_staff_get_403_from_api(client):
    client.force_login(make_concierge())

    response = client.get("/api/")

    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


@pytest.mark.django_db
def test_admin_login_then_verify(client):
    admin_user = make_superuser()
    device, _codes = add_confirmed_device(admin_user)

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    held_back = client.get("/admin/")
    verify_url = reverse("accounts:two_factor_verify")
    verified = client.post(verify_url, {"code": code_for(device), "next": "/admin/"})
    admin_page = client.get("/admin/")

    assert held_back.status_code == 302
    assert held_back["Location"] == f"{verify_url}?next=/admin/"
    assert verified.status_code == 302
    assert verified["Location"] == "/admin/"
    assert admin_page.status_code == 200


@pytest.mark.django_db
def test_optional_answer_cached_in_session(client):
    client.force_login(make_resident())
    client.get(reverse("accounts:dashboard"))

    assert TWO_FACTOR_NOT_NEEDED_UNTIL_KEY in client.session


@pytest.mark.django_db
def test_role_granted_in_session_applies_after_recheck(client, monkeypatch):
    from civic_portal.accounts import session_expiry

    now = [1_900_000_000.0]
    monkeypatch.setattr(session_expiry, "current_time", lambda: now[0])
    user = make_resident()
    client.force_login(user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    user.groups.add(Group.objects.get_or_create(name=CONCIERGE_GROUP)[0])
    within = client.get(reverse("accounts:dashboard"))
    now[0] += 301
    after = client.get(reverse("accounts:dashboard"))

    assert within.status_code == 200
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("accounts:two_factor_setup"))


# -- Verify -------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_with_code_keeps_next(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    password_login(client, user.email, next_url="/accounts/profile/")

    page = client.get(
        reverse("accounts:two_factor_verify") + "?next=/accounts/profile/"
    )
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": code_for(device), "next": "/accounts/profile/"},
    )

    assert page.status_code == 200
    assert 'value="/accounts/profile/"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unsafe_next",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)"],
)
def test_verify_ignores_unsafe_next(client, unsafe_next):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    client.force_login(user)

    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": code_for(device), "next": unsafe_next},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")


@pytest.mark.django_db
def test_verify_accepts_full_width_digits(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    client.force_login(user)
    full_width = code_for(device).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )

    response = client.post(reverse("accounts:two_factor_verify"), {"code": full_width})

    assert response.status_code == 302


@pytest.mark.django_db
def test_verify_wrong_code_shows_error(client, caplog):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    client.force_login(user)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"

    with caplog.at_level(logging.WARNING, logger="civic_portal.accounts.two_factor"):
        response = client.post(reverse("accounts:two_factor_verify"), {"code": wrong})

    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    assert f"Two-factor code rejected for user {user.pk}" in caplog.text
    assert user.email not in caplog.text


@pytest.mark.django_db
def test_verify_throttled_after_failures(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    client.force_login(user)
    # Ten failures in a row: the device now waits 2**9 seconds.
    device.throttle_increment()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=10)

    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_for(device)}
    )

    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 302


@pytest.mark.django_db
def test_verify_with_backup_code_once(client):
    user = make_concierge()
    _device, codes = add_confirmed_device(user)
    client.force_login(user)

    first = client.post(
        reverse("accounts:two_factor_verify"), {"code": codes[0].upper()}, follow=True
    )
    client.post(reverse("accounts:logout"))
    client.force_login(user)
    second = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})

    assert first.redirect_chain[0] == (reverse("accounts:dashboard"), 302)
    assert "You used a backup code. You have 9 left" in first.content.decode()
    assert second.status_code == 200
    assert "This code is not valid" in second.content.decode()


@pytest.mark.django_db
def test_verify_without_device_goes_to_setup(client):
    client.force_login(make_concierge())

    response = client.get(reverse("accounts:two_factor_verify") + "?next=/probono/")

    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("accounts:two_factor_setup") + "?next=%2Fprobono%2F"
    )


@pytest.mark.django_db
def test_verify_requires_login(client):
    response = client.get(reverse("accounts:two_factor_verify"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# -- Set-up -------------------------------------------------------------------


@pytest.mark.django_db
def test_setup_page_shows_qr_and_key(client):
    user = make_concierge()
    client.force_login(user)

    response = client.get(reverse("accounts:two_factor_setup"))
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=user)

    assert response.status_code == 200
    assert device.confirmed is False
    assert "<svg" in html
    assert "<?xml" not in html
    assert "style=" not in html
    assert two_factor.totp_key_text(device) in html
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_setup_key_survives_reload(client):
    user = make_concierge()
    client.force_login(user)

    client.get(reverse("accounts:two_factor_setup"))
    client.get(reverse("accounts:two_factor_setup"))

    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_setup_wrong_code_keeps_device_unconfirmed(client):
    user = make_concierge()
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two_factor_setup"), {"code": wrong})
    letters = client.post(reverse("accounts:two_factor_setup"), {"code": "abcdef"})

    device.refresh_from_db()
    assert response.status_code == 200
    assert "This code does not match the new key" in response.content.decode()
    assert "Enter the 6 digits" in letters.content.decode()
    assert device.confirmed is False


@pytest.mark.django_db
def test_setup_confirms_and_shows_backup_codes_once(client, caplog):
    user = make_concierge()
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup") + "?next=/probono/")
    device = TOTPDevice.objects.get(user=user)

    with caplog.at_level(logging.INFO, logger="civic_portal.accounts.two_factor"):
        response = client.post(
            reverse("accounts:two_factor_setup"),
            {"code": code_for(device), "next": "/probono/"},
        )
    codes_page = client.get(response["Location"])
    again = client.get(reverse("accounts:two_factor_backup_codes"))
    tokens = list(StaticToken.objects.filter(device__user=user))

    device.refresh_from_db()
    assert device.confirmed is True
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_backup_codes"))
    assert len(tokens) == 10
    for token in tokens:
        assert token.token in codes_page.content.decode()
    assert 'href="/probono/"' in codes_page.content.decode()
    assert again.status_code == 302
    assert again["Location"] == reverse("accounts:two_factor")
    assert f"Two-factor set-up confirmed for user {user.pk}" in caplog.text
    # The session is verified: other pages open.
    assert client.get(reverse("accounts:dashboard")).status_code == 200


@pytest.mark.django_db
def test_setup_with_device_unverified_goes_to_verify(client):
    user = make_concierge()
    add_confirmed_device(user)
    client.force_login(user)

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_verify")


# -- Replace and turn off -----------------------------------------------------


def verified_login(client, user, device) -> None:
    client.force_login(user)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_for(device)}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_replace_needs_current_code(client):
    user = make_concierge()
    old_device, _codes = add_confirmed_device(user)
    verified_login(client, user, old_device)
    client.get(reverse("accounts:two_factor_setup"))
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = f"{(int(code_for(old_device, 1)) + 500_000) % 1_000_000:06d}"

    response = client.post(
        reverse("accounts:two_factor_setup"),
        {"current_code": wrong, "code": code_for(new_device)},
    )

    new_device.refresh_from_db()
    assert response.status_code == 200
    assert "not valid for your current authenticator app" in response.content.decode()
    assert new_device.confirmed is False
    assert TOTPDevice.objects.filter(pk=old_device.pk, confirmed=True).exists()


@pytest.mark.django_db
def test_replace_swaps_device_and_codes(client):
    user = make_concierge()
    old_device, old_codes = add_confirmed_device(user)
    verified_login(client, user, old_device)
    client.get(reverse("accounts:two_factor_setup"))
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(
        reverse("accounts:two_factor_setup"),
        {"current_code": code_for(old_device, 1), "code": code_for(new_device)},
    )

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new_device]
    assert StaticDevice.objects.filter(user=user).count() == 1
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 200


@pytest.mark.django_db
def test_optional_user_turns_off(client):
    user = make_resident()
    device, _codes = add_confirmed_device(user)
    verified_login(client, user, device)

    response = client.post(
        reverse("accounts:two_factor_disable"),
        {"current_code": code_for(device, 1)},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 200


@pytest.mark.django_db
def test_turn_off_needs_valid_code(client):
    user = make_resident()
    device, _codes = add_confirmed_device(user)
    verified_login(client, user, device)

    response = client.post(
        reverse("accounts:two_factor_disable"), {"current_code": "000000x"}
    )

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_required_user_cannot_turn_off(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    verified_login(client, user, device)

    response = client.post(
        reverse("accounts:two_factor_disable"),
        {"current_code": code_for(device, 1)},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.django_db
def test_overview_offers_setup_on_profile(client):
    client.force_login(make_resident())

    profile = client.get(reverse("accounts:profile"))
    overview = client.get(reverse("accounts:two_factor"))

    assert reverse("accounts:two_factor") in profile.content.decode()
    assert overview.status_code == 200
    assert reverse("accounts:two_factor_setup") in overview.content.decode()


@pytest.mark.django_db
def test_overview_hides_turn_off_for_required(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    verified_login(client, user, device)

    response = client.get(reverse("accounts:two_factor"))

    assert response.status_code == 200
    assert reverse("accounts:two_factor_disable") not in response.content.decode()
    assert "You have 10 unused backup codes." in response.content.decode()


# -- Admin reset --------------------------------------------------------------


@pytest.mark.django_db
def test_admin_resets_devices(client, caplog):
    admin_user = make_superuser()
    admin_device, _codes = add_confirmed_device(admin_user)
    verified_login(client, admin_user, admin_device)
    user = make_concierge()
    add_confirmed_device(user)

    with caplog.at_level(logging.INFO, logger="civic_portal.accounts.admin"):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [user.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "Two-factor log-in was reset for 1 user." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert (
        f"Admin user {admin_user.pk} reset two-factor log-in of user {user.pk}"
        in caplog.text
    )


@pytest.mark.django_db
def test_reset_ends_verified_sessions(client):
    user = make_concierge()
    device, _codes = add_confirmed_device(user)
    verified_login(client, user, device)

    two_factor.remove_devices(user=user)
    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.django_db
def test_backup_code_from_command_allows_new_setup(client):
    user = make_superuser()
    out = io.StringIO()
    call_command("addstatictoken", user.email, stdout=out)
    client.force_login(user)

    verified = client.post(
        reverse("accounts:two_factor_verify"), {"code": out.getvalue().strip()}
    )
    setup = client.get(reverse("accounts:two_factor_setup"))

    assert verified.status_code == 302
    assert setup.status_code == 200
    assert "current_code" not in setup.content.decode()
