"""Two-factor log-in with TOTP authenticator apps and one-time backup codes.

Devices are django-otp's: one TOTPDevice (an authenticator app) and one
StaticDevice (ten backup codes) per user. A user whose session has not
been verified with one of them since the password step is sent to the
verify page, or to set-up when their role requires two-factor log-in and
they have no device yet (civic_portal.accounts.middleware).
"""

import base64
import datetime as dt
import enum
import io
import logging
import unicodedata
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civic_portal.accounts.models import User
from civic_portal.types import AnyUser
from facilitation.permissions import is_facilitator
from groups.permissions import is_centre_staff, is_prefectural_staff
from partner_links.selectors import is_partner_account
from probono.permissions import is_concierge

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
TOTP_DIGITS = 6
DEVICE_NAME = "default"


def two_factor_required(user: AnyUser) -> bool:
    """Tell whether *user* must log in with a second factor.

    Concierges, facilitators, centre staff, prefectural staff, Django staff
    and superusers see other people's personal data or change reference
    data, and a health-points partner's account exports residents'
    activities, so a stolen password alone must not be enough for them.
    """
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return (
        is_concierge(user)
        or is_facilitator(user)
        or is_centre_staff(user)
        or is_prefectural_staff(user)
        or is_partner_account(user)
    )


def has_confirmed_device(user: AnyUser) -> bool:
    """Tell whether *user* has finished two-factor set-up."""
    return bool(user_has_device(user, confirmed=True))


def totp_device_of(user: User) -> TOTPDevice | None:
    """Return the confirmed authenticator app device of *user*, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user: User) -> int:
    """Return how many unused backup codes *user* has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# -- Set-up -------------------------------------------------------------------


def pending_totp_device(user: User) -> TOTPDevice:
    """Return the unconfirmed device that set-up shows, creating it if needed.

    The key stays the same across reloads of the set-up page, so a person
    who scanned the QR code and then reloaded can still confirm.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, confirmed=False, digits=TOTP_DIGITS
        )
        logger.info("Two-factor set-up started for user %s", user.pk)
    return device


def totp_key_text(device: TOTPDevice) -> str:
    """Return the key in base32, in groups of four, for typing into an app."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """Return an SVG QR code of the device's otpauth:// URL.

    The SVG uses path elements and attributes only, no style attribute, so
    it can be put into a page that a Content Security Policy without
    'unsafe-inline' styles protects.
    """
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    # Drop the XML declaration, which is not allowed inside HTML.
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :].lstrip()
    return svg


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice) -> list[str]:
    """Make *device* the user's only authenticator and issue new backup codes.

    Every other device of the user, and their unused backup codes, are
    deleted. Returns the new backup codes, which are shown once and stored
    only in the database.
    """
    replaced = _delete_devices(user, keep=device)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _issue_backup_codes(user)
    logger.info(
        "Two-factor set-up confirmed for user %s (%s old devices removed)",
        user.pk,
        replaced,
    )
    return codes


def _issue_backup_codes(user: User) -> list[str]:
    static_device = StaticDevice.objects.create(
        user=user, name="backup codes", confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=static_device, token=code) for code in codes
    )
    return codes


def _delete_devices(user: User, keep: Device | None = None) -> int:
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        if keep is not None and device.pk == keep.pk and type(device) is type(keep):
            continue
        device.delete()
        removed += 1
    return removed


@transaction.atomic
def remove_devices(*, user: User) -> int:
    """Delete every two-factor device of *user* and return how many there were.

    Sessions that were verified with a deleted device lose their
    verification at their next request (django-otp's OTPMiddleware drops a
    device id that no longer exists).
    """
    return _delete_devices(user)


# -- Verification -------------------------------------------------------------


class CodeCheck(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class CodeResult:
    check: CodeCheck
    device: Device | None = None
    # Set when check is THROTTLED: when the next attempt will be allowed.
    retry_at: dt.datetime | None = None

    @property
    def used_backup_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalize_code(code: str) -> str:
    """Return *code* without spaces and hyphens, in half-width lower case.

    People copy backup codes with spaces and type digits on a Japanese
    keyboard in full width, so NFKC folds those forms first.
    """
    code = unicodedata.normalize("NFKC", code or "")
    return "".join(char for char in code if char not in " -").lower()


def is_totp_code(code: str) -> bool:
    """Tell whether a normalised code has the form of an authenticator code."""
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def max_failure_count(factor: float) -> int:
    """Return the wrong-code count whose wait is the longest within the cap.

    django-otp waits factor * 2**(n-1) seconds after n wrong codes in a
    row. The result is the largest n whose wait is at most
    TWO_FACTOR_MAX_WAIT_SECONDS, and at least 1.
    """
    cap = settings.TWO_FACTOR_MAX_WAIT_SECONDS
    count = 1
    while factor * 2**count <= cap:
        count += 1
    return count


def cap_failure_count(device: Device) -> None:
    """Keep the device's wait after wrong codes within TWO_FACTOR_MAX_WAIT_SECONDS.

    django-otp 1.7 has no practical limit on the wait: with the factor of
    1, twenty wrong codes in a row lock the device for 2**19 seconds, six
    days. Holding the count at max_failure_count() keeps every later wait
    at the capped length, however many wrong codes follow.
    """
    factor = device.get_throttle_factor()
    if factor <= 0:
        return
    limit = max_failure_count(factor)
    if device.throttling_failure_count > limit:
        device.throttling_failure_count = limit
        device.save(update_fields=["throttling_failure_count"])


def check_code(device: Device, code: str) -> CodeResult:
    """Check *code* against one device, with django-otp's throttling.

    After n wrong codes in a row the device accepts no code for
    OTP_TOTP_THROTTLE_FACTOR (or OTP_STATIC_THROTTLE_FACTOR) * 2**(n-1)
    seconds, at most TWO_FACTOR_MAX_WAIT_SECONDS (cap_failure_count).
    A throttled attempt does not count as another failure.
    """
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        cap_failure_count(locked)
        allowed, details = locked.verify_is_allowed()
        if not allowed:
            reason = (details or {}).get("reason")
            retry_at = (details or {}).get("locked_until")
            if reason is VerifyNotAllowed.N_FAILED_ATTEMPTS:
                return CodeResult(CodeCheck.THROTTLED, locked, retry_at)
            return CodeResult(CodeCheck.REJECTED, locked)
        if locked.verify_token(code):
            return CodeResult(CodeCheck.ACCEPTED, locked)
    return CodeResult(CodeCheck.REJECTED, locked)


def verify_user_code(user: User, code: str) -> CodeResult:
    """Check an authenticator code or a backup code of *user*.

    Six digits go to the authenticator app device and anything else to the
    backup codes, so a typo in one kind does not slow down the other.
    """
    code = normalize_code(code)
    if is_totp_code(code):
        device: Device | None = totp_device_of(user)
    else:
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None or not code:
        result = CodeResult(CodeCheck.REJECTED)
    else:
        result = check_code(device, code)
    if result.check is CodeCheck.ACCEPTED:
        logger.info("Two-factor code accepted for user %s", user.pk)
    elif result.check is CodeCheck.THROTTLED:
        logger.warning("Two-factor code attempt throttled for user %s", user.pk)
    else:
        logger.warning("Two-factor code rejected for user %s", user.pk)
    return result


def mark_session_verified(request: HttpRequest, device: Device) -> None:
    """Record in the session that *device* verified the signed-in user."""
    otp_login(request, device)


def is_session_verified(request: HttpRequest) -> bool:
    """Tell whether the signed-in user of *request* passed the second step."""
    # OTPMiddleware adds is_verified() to the user of every request.
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def enforced() -> bool:
    """Tell whether the two-factor rule is applied (TWO_FACTOR_ENFORCED)."""
    return bool(getattr(settings, "TWO_FACTOR_ENFORCED", True))
