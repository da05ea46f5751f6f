import logging
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civic_portal.accounts.models import User
from civic_portal.privacy.downloads import (
    data_json_bytes,
    data_zip_bytes,
    download_filename,
)
from civic_portal.privacy.forms import DeleteAccountForm
from civic_portal.privacy.selectors import personal_data_of
from civic_portal.privacy.services import delete_account, groups_left_without_staff
from civic_portal.security.ratelimit import rate_limit

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    # login_required has turned anonymous visitors away.
    return cast(User, request.user)


@require_GET
@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    sections = personal_data_of(_user(request))
    return render(request, "privacy/my_data.html", {"sections": sections})


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
@login_required
@rate_limit("export", methods=("GET",))
def my_data_json(request: HttpRequest) -> HttpResponse:
    content = data_json_bytes(personal_data_of(_user(request)))
    logger.info("User %s downloaded their data as JSON", request.user.pk)
    return _attachment(
        content, "application/json; charset=utf-8", download_filename("json")
    )


@require_GET
@never_cache
@login_required
@rate_limit("export", methods=("GET",))
def my_data_csv(request: HttpRequest) -> HttpResponse:
    content = data_zip_bytes(personal_data_of(_user(request)))
    logger.info("User %s downloaded their data as CSV", request.user.pk)
    return _attachment(content, "application/zip", download_filename("zip"))


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
@rate_limit("login")
def delete_my_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(user)
        logout(request)
        messages.success(
            request, _("Your account and your personal data have been deleted.")
        )
        return redirect("home")
    context = {"form": form, "groups_left": list(groups_left_without_staff(user))}
    return render(request, "privacy/delete_account.html", context)
