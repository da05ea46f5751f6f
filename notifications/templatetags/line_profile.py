from typing import Any

from django import template

from notifications import line_api
from notifications.forms import LineDeliveryForm
from notifications.models import LineLink

register = template.Library()


@register.inclusion_tag("notifications/_profile_line.html", takes_context=True)
def line_profile_section(context: dict[str, Any]) -> dict[str, Any]:
    """Render the LINE part of the profile page; empty while LINE is off."""
    if not line_api.channel_configured():
        return {"line_enabled": False}
    user = context["request"].user
    link = LineLink.objects.filter(user=user).first()
    return {
        "line_enabled": True,
        "link": link,
        "form": LineDeliveryForm(instance=link) if link else None,
        "csrf_token": context.get("csrf_token"),
    }
