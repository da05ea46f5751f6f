from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A task that could not be handed to the broker, kept until it can.

    When Redis is down, a task sent from a request is stored here instead
    of being lost, and relay_pending() sends it once the broker is back.
    """

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    options = models.JSONField(_("sending options"), default=dict)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("sending attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"
