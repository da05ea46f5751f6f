from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

AGE_BANDS = [
    ("under_20", _("Under 20")),
    ("20s", _("20s")),
    ("30s", _("30s")),
    ("40s", _("40s")),
    ("50s", _("50s")),
    ("60s", _("60s")),
    ("70_plus", _("70 and over")),
]
# Young people (若年層) are people under 40.
YOUNG_BANDS = ("under_20", "20s", "30s")
INCOME_SOURCES = [
    ("membership_fees", _("Membership fees")),
    ("donations", _("Donations")),
    ("grants", _("Grants and subsidies")),
    ("business", _("Business income")),
    ("commissioned", _("Commissioned work")),
]


class DigitalTool(models.TextChoices):
    WEBSITE = "website", _("Own website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    ONLINE_MEETINGS = "online_meetings", _("Online meetings")
    CLOUD_STORAGE = "cloud_storage", _("Shared files in the cloud")
    ONLINE_PAYMENTS = "online_payments", _("Online donations or payments")
    ACCOUNTING_SOFTWARE = "accounting_software", _("Accounting software")
    MAILING_LIST = "mailing_list", _("E-mail newsletter")


class AnnualGroupReport(models.Model):
    """The report each group files once per fiscal year (年次報告).

    The indicators read it: the age bands give the share of young people.
    """

    class SelfEvaluation(models.IntegerChoices):
        STRUGGLING = 1, _("Struggling")
        BELOW_PLAN = 2, _("Below plan")
        AS_PLANNED = 3, _("As planned")
        GROWING = 4, _("Growing")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="annual_reports",
        verbose_name=_("civic group"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    members_under_20 = models.PositiveIntegerField(_("members, under 20"), default=0)
    members_20s = models.PositiveIntegerField(_("members, 20s"), default=0)
    members_30s = models.PositiveIntegerField(_("members, 30s"), default=0)
    members_40s = models.PositiveIntegerField(_("members, 40s"), default=0)
    members_50s = models.PositiveIntegerField(_("members, 50s"), default=0)
    members_60s = models.PositiveIntegerField(_("members, 60s"), default=0)
    members_70_plus = models.PositiveIntegerField(_("members, 70 and over"), default=0)
    participants_under_20 = models.PositiveIntegerField(
        _("regular participants, under 20"), default=0
    )
    participants_20s = models.PositiveIntegerField(
        _("regular participants, 20s"), default=0
    )
    participants_30s = models.PositiveIntegerField(
        _("regular participants, 30s"), default=0
    )
    participants_40s = models.PositiveIntegerField(
        _("regular participants, 40s"), default=0
    )
    participants_50s = models.PositiveIntegerField(
        _("regular participants, 50s"), default=0
    )
    participants_60s = models.PositiveIntegerField(
        _("regular participants, 60s"), default=0
    )
    participants_70_plus = models.PositiveIntegerField(
        _("regular participants, 70 and over"), default=0
    )
    volunteers_taken_in = models.PositiveIntegerField(
        _("volunteers taken in"), default=0
    )
    main_activities = models.TextField(_("main activities"))
    income_membership_fees = models.PositiveBigIntegerField(
        _("income from membership fees (yen)"), default=0
    )
    income_donations = models.PositiveBigIntegerField(
        _("income from donations (yen)"), default=0
    )
    income_grants = models.PositiveBigIntegerField(
        _("income from grants and subsidies (yen)"), default=0
    )
    income_business = models.PositiveBigIntegerField(
        _("business income (yen)"), default=0
    )
    income_commissioned = models.PositiveBigIntegerField(
        _("income from commissioned work (yen)"), default=0
    )
    digital_tools = models.JSONField(
        _("digital tools in use"), default=list, blank=True
    )
    wants_probono = models.BooleanField(_("wants pro bono help"), default=False)
    probono_skills = models.ManyToManyField(
        "probono.Skill",
        blank=True,
        related_name="+",
        verbose_name=_("pro bono skills wanted"),
    )
    self_evaluation = models.PositiveSmallIntegerField(
        _("self-evaluation"), choices=SelfEvaluation.choices
    )
    self_evaluation_note = models.TextField(_("self-evaluation comments"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-fiscal_year", "group"]
        verbose_name = _("annual group report")
        verbose_name_plural = _("annual group reports")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "fiscal_year"], name="one_report_per_group_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} FY{self.fiscal_year}"

    def participants_by_band(self) -> dict[str, int]:
        return {band: getattr(self, f"participants_{band}") for band, _ in AGE_BANDS}

    def members_by_band(self) -> dict[str, int]:
        return {band: getattr(self, f"members_{band}") for band, _ in AGE_BANDS}

    @property
    def participants_total(self) -> int:
        return sum(self.participants_by_band().values())

    @property
    def young_participants(self) -> int:
        by_band = self.participants_by_band()
        return sum(by_band[band] for band in YOUNG_BANDS)

    @property
    def income_total(self) -> int:
        return sum(getattr(self, f"income_{source}") for source, _ in INCOME_SOURCES)
