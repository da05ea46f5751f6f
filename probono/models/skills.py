from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Skill(models.Model):
    """A skill area of the pro bono worker bank, such as accounting or web."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    hourly_value = models.PositiveIntegerField(
        _("estimated value per hour (yen)"),
        default=3000,
        help_text=_("Used to estimate the value of the work that workers give."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pro bono skill")
        verbose_name_plural = _("pro bono skills")

    def __str__(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name
