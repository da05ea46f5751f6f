"""Pages of the LINE channel: the webhook, link confirmation, unlink, delivery."""

import json
import logging
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from civic_portal.accounts.models import User
from notifications import line_api, linking, webhook
from notifications.forms import LineDeliveryForm
from notifications.models import LineLink

logger = logging.getLogger(__name__)


def _require_channel() -> None:
    if not line_api.channel_configured():
        raise Http404("The LINE channel is not configured.")


@csrf_exempt
@require_POST
def line_webhook(request: HttpRequest) -> HttpResponse:
    """Receive LINE webhook events; reject a request without a valid signature."""
    _require_channel()
    body = request.body
    if not webhook.signature_valid(body, request.headers.get("X-Line-Signature")):
        logger.warning("LINE webhook request with a missing or invalid signature")
        return HttpResponseBadRequest("Invalid or missing X-Line-Signature.")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return HttpResponseBadRequest("The request body is not JSON.")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return HttpResponseBadRequest("The request body has no events list.")
    handled = webhook.handle_events(events)
    logger.info("LINE webhook: %d of %d events handled", handled, len(events))
    return HttpResponse("OK", content_type="text/plain")


class LineLinkHelpView(LoginRequiredMixin, TemplateView):
    """How to link LINE: add the official account as a friend."""

    template_name = "notifications/line_link_help.html"

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        _require_channel()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["add_friend_url"] = settings.LINE_ADD_FRIEND_URL
        return context


class LineLinkView(LoginRequiredMixin, View):
    """Confirm linking the LINE account that received ?linkToken=... .

    GET shows the confirmation. POST creates the nonce and renders a page
    that opens LINE's accountLink dialog: a redirect there from a form POST
    would break the Content Security Policy's form-action 'self'.
    """

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        _require_channel()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        link_token = request.GET.get("linkToken", "")
        if linking.valid_link_token(link_token) is None:
            return self._invalid(request)
        return render(
            request,
            "notifications/line_link_confirm.html",
            {"link_token": link_token},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        url = linking.start_account_link(user, request.POST.get("linkToken", ""))
        if url is None:
            return self._invalid(request)
        return render(
            request,
            "notifications/line_link_continue.html",
            {"account_link_url": url},
        )

    def _invalid(self, request: HttpRequest) -> HttpResponse:
        return render(request, "notifications/line_link_invalid.html", status=400)


@login_required
@require_POST
def line_unlink(request: HttpRequest) -> HttpResponse:
    """Remove the signed-in resident's LINE link."""
    if linking.unlink(cast(User, request.user)):
        messages.success(
            request, _("Your LINE account is unlinked. Notifications come by e-mail.")
        )
    return redirect("accounts:profile")


@login_required
@require_POST
def line_delivery(request: HttpRequest) -> HttpResponse:
    """Save whether notifications go by e-mail, LINE or both."""
    link = LineLink.objects.filter(user=cast(User, request.user)).first()
    if link is None:
        messages.error(request, _("Link your LINE account first."))
        return redirect("accounts:profile")
    form = LineDeliveryForm(request.POST, instance=link)
    if not form.is_valid():
        messages.error(request, _("Choose how you want to get notifications."))
        return redirect("accounts:profile")
    link = form.save(commit=False)
    if link.sends_line:
        link.consecutive_failures = 0
        link.switched_to_mail_at = None
    link.save()
    logger.info("User %s chose %s for notifications", link.user_id, link.delivery)
    messages.success(request, _("Your notification setting has been saved."))
    return HttpResponseRedirect(reverse("accounts:profile") + "#line")
