"""Stored indicator values: recorded ones from before the portal, and snapshots.

A recorded value was entered from another source (the prefecture's own
records, the plan's baselines). A snapshot is a value the portal computed
from its data. Pages show the two side by side and never add one to the
other.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.definitions import INDICATOR_KEYS

INDICATOR_CHOICES = [(key, key) for key in INDICATOR_KEYS]


class RecordedValue(models.Model):
    """A value of an indicator for a fiscal year taken from outside the portal."""

    indicator = models.CharField(
        _("indicator"), max_length=40, choices=INDICATOR_CHOICES
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.TextField(
        _("source"), help_text=_("Where the value comes from, for readers.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "fiscal_year"]
        verbose_name = _("recorded indicator value")
        verbose_name_plural = _("recorded indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="one_recorded_value_per_indicator_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fiscal_year}: {self.value}"


class IndicatorSnapshot(models.Model):
    """A computed value of an indicator for a fiscal year, frozen or not.

    The nightly task rewrites snapshots that are not frozen. Once
    `frozen_at` is set, the value is the year's figure of record and no
    service writes to it again.
    """

    indicator = models.CharField(
        _("indicator"), max_length=40, choices=INDICATOR_CHOICES
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        ordering = ["fiscal_year", "indicator"]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="one_snapshot_per_indicator_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fiscal_year}: {self.value}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class WhitePaperExport(models.Model):
    """One generation of the white paper (県民活動白書) of a fiscal year.

    A Celery task fills in the HTML, PDF and Excel files step by step and
    records its progress here, so the page can show it while the task runs.
    The files are kept in the default storage, so every web server can read them.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        GATHERING = "gathering", _("Gathering the figures")
        HTML = "html", _("Writing the HTML document")
        PDF = "pdf", _("Writing the PDF")
        WORKBOOK = "workbook", _("Writing the Excel workbook")
        FINISHED = "finished", _("Finished")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Percent of the generation done, from 0 to 100."),
    )
    step = models.CharField(
        _("step"), max_length=20, choices=Step.choices, default=Step.WAITING
    )
    html_file = models.FileField(
        _("HTML document"), upload_to="white_papers/", blank=True
    )
    pdf_file = models.FileField(_("PDF"), upload_to="white_papers/", blank=True)
    workbook_file = models.FileField(
        _("Excel workbook"), upload_to="white_papers/", blank=True
    )
    error_message = models.TextField(_("error message"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("white paper export")
        verbose_name_plural = _("white paper exports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="white_paper_progress_at_most_100",
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "-created_at"])]

    def __str__(self) -> str:
        return f"White paper FY{self.fiscal_year} #{self.pk}: {self.status}"

    @property
    def is_finished(self) -> bool:
        """Whether the task has stopped, with files or with an error."""
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def status_text(self) -> str:
        """A sentence for the status page: what the export does or did."""
        if self.status == self.Status.QUEUED:
            return str(_("Waiting for a worker to start the export."))
        if self.status == self.Status.RUNNING:
            return f"{self.get_step_display()}…"
        if self.status == self.Status.DONE:
            return str(_("Done. The PDF, the Excel workbook and the HTML are ready."))
        return str(FAILURE_TEXTS[self.Step(self.step)])


Step = WhitePaperExport.Step
# The status sentence of a failed export, by the step it failed at.
FAILURE_TEXTS = {
    Step.WAITING: _("The export failed before it started."),
    Step.GATHERING: _("The export failed while gathering the figures."),
    Step.HTML: _("The export failed while writing the HTML document."),
    Step.PDF: _("The export failed while writing the PDF."),
    Step.WORKBOOK: _("The export failed while writing the Excel workbook."),
    Step.FINISHED: _("The export failed after its files were written."),
}
