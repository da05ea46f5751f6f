from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from volunteering.uploads import report_photo_path
from volunteering.validators import validate_image_upload


class PostReport(models.Model):
    """A short report published after an activity, shown on the post page."""

    post = models.ForeignKey(
        "volunteering.VolunteerPost",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("volunteer post"),
    )
    session = models.ForeignKey(
        "volunteering.VolunteerSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("session"),
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("report"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post-activity report")
        verbose_name_plural = _("post-activity reports")

    def __str__(self) -> str:
        return self.title


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        PostReport,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("post-activity report"),
    )
    image = models.ImageField(
        _("photo"), upload_to=report_photo_path, validators=[validate_image_upload]
    )
    alt_text = models.CharField(_("description of the photo"), max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.alt_text
