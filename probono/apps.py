from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProbonoConfig(AppConfig):
    name = "probono"
    verbose_name = _("Pro bono worker bank")
