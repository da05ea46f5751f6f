from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Volunteer matching")

    def ready(self) -> None:
        from volunteering import search_cache

        search_cache.connect_signals()
