from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerLinksConfig(AppConfig):
    name = "partner_links"
    verbose_name = _("Partner links")
