"""Filing the annual group report and following up on who has not filed.

A group files one report per fiscal year, during that year (Japan time),
and may edit it until the year ends. Filing also stores on the group
whether it wants pro bono help, so the directory can filter on it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_bounds, fiscal_year_of
from groups.models import AGE_BANDS, INCOME_SOURCES, AnnualGroupReport, CivicGroup
from groups.models.annual_reports import DigitalTool
from probono.models import Skill

logger = logging.getLogger(__name__)

# Upper bounds that catch a typo (an extra digit or two) in a group's report.
MAX_HEADCOUNT = 100_000
MAX_INCOME_YEN = 100_000_000_000

COUNT_FIELDS = tuple(
    [f"members_{band}" for band, _label in AGE_BANDS]
    + [f"participants_{band}" for band, _label in AGE_BANDS]
    + ["volunteers_taken_in"]
)
INCOME_FIELDS = tuple(f"income_{source}" for source, _label in INCOME_SOURCES)
TEXT_FIELDS = ("main_activities", "self_evaluation_note")
REPORT_FIELDS = (
    COUNT_FIELDS
    + INCOME_FIELDS
    + TEXT_FIELDS
    + ("digital_tools", "wants_probono", "self_evaluation")
)


def current_fiscal_year(now: dt.datetime | None = None) -> int:
    return fiscal_year_of(now or timezone.now())


def is_editable(report: AnnualGroupReport, now: dt.datetime | None = None) -> bool:
    """Tell whether *report* may still change: its fiscal year has not ended."""
    _start, end = fiscal_year_bounds(report.fiscal_year)
    return (now or timezone.now()) < end


def validate_report(fields: Mapping[str, Any], skills: Iterable[Skill]) -> None:
    """Raise ValidationError, by field, for values a report cannot have."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name in COUNT_FIELDS + INCOME_FIELDS:
        if fields.get(name, 0) < 0:
            add(name, _("Enter zero or a positive whole number."))
    for name in COUNT_FIELDS:
        value = fields.get(name, 0)
        if value > MAX_HEADCOUNT:
            add(
                name, _("Enter at most %(max)s people.") % {"max": f"{MAX_HEADCOUNT:,}"}
            )
    for name in INCOME_FIELDS:
        value = fields.get(name, 0)
        if value > MAX_INCOME_YEN:
            add(name, _("Enter at most %(max)s yen.") % {"max": f"{MAX_INCOME_YEN:,}"})
    people = sum(
        fields.get(f"{kind}_{band}", 0)
        for kind in ("members", "participants")
        for band, _label in AGE_BANDS
    )
    if people == 0:
        add(
            "members_under_20",
            _(
                "Enter the number of members or regular participants in at "
                "least one age band."
            ),
        )
    unknown_tools = set(fields.get("digital_tools", [])) - set(DigitalTool.values)
    if unknown_tools:
        add("digital_tools", _("Choose digital tools from the list."))
    if fields.get("wants_probono") and not list(skills):
        add("probono_skills", _("Choose the skills you want pro bono help with."))
    if not str(fields.get("main_activities", "")).strip():
        add("main_activities", _("Describe the group's main activities."))
    if errors:
        raise ValidationError(errors)


def _apply(
    report: AnnualGroupReport, fields: Mapping[str, Any], skills: list[Skill]
) -> None:
    for name in REPORT_FIELDS:
        if name in fields:
            setattr(report, name, fields[name])
    report.save()
    # A group that no longer wants pro bono help keeps no skills on file.
    report.probono_skills.set(skills if report.wants_probono else [])
    CivicGroup.objects.filter(pk=report.group_id).update(
        wants_probono=report.wants_probono
    )


def report_file(
    *,
    group: CivicGroup,
    submitted_by: User,
    fields: Mapping[str, Any],
    skills: Iterable[Skill] = (),
    now: dt.datetime | None = None,
) -> AnnualGroupReport:
    """File *group*'s report for the current fiscal year.

    Raises ValidationError when the group is not approved or is dissolved,
    when the values are invalid, or when the group has already filed for
    this year.
    """
    if not group.is_public:
        raise ValidationError(
            _("Only approved groups that are not dissolved file annual reports."),
            code="not_registered",
        )
    skill_list = list(skills)
    validate_report(fields, skill_list)
    fiscal_year = current_fiscal_year(now)
    already_filed = ValidationError(
        _(
            "This group has already filed its report for fiscal %(year)s. "
            "Open that report to change it."
        )
        % {"year": fiscal_year},
        code="already_filed",
    )
    if AnnualGroupReport.objects.filter(group=group, fiscal_year=fiscal_year).exists():
        raise already_filed
    report = AnnualGroupReport(
        group=group, fiscal_year=fiscal_year, submitted_by=submitted_by
    )
    try:
        with transaction.atomic():
            _apply(report, fields, skill_list)
    except IntegrityError:
        # Another request filed the same report between the check and here.
        raise already_filed from None
    logger.info(
        "Annual report %s filed for group %s, fiscal %s",
        report.pk,
        group.pk,
        fiscal_year,
    )
    return report


def report_update(
    *,
    report: AnnualGroupReport,
    fields: Mapping[str, Any],
    skills: Iterable[Skill] = (),
    now: dt.datetime | None = None,
) -> AnnualGroupReport:
    """Change a filed report; raises ValidationError once its year has ended."""
    if not is_editable(report, now):
        raise ValidationError(
            _("Fiscal %(year)s has ended, so its report can no longer be changed.")
            % {"year": report.fiscal_year},
            code="year_ended",
        )
    skill_list = list(skills)
    validate_report(fields, skill_list)
    with transaction.atomic():
        _apply(report, fields, skill_list)
    logger.info("Annual report %s updated", report.pk)
    return report


def groups_expected_to_file(groups: QuerySet[CivicGroup]) -> QuerySet[CivicGroup]:
    """Narrow *groups* to those that file reports: approved and not dissolved."""
    return groups.public()  # type: ignore[attr-defined,no-any-return]


def filing_overview(
    groups: QuerySet[CivicGroup], fiscal_year: int, filed: bool | None = None
) -> QuerySet[CivicGroup]:
    """Annotate *groups* with `has_filed` and `report_id` for *fiscal_year*.

    With *filed* True or False, keep only the groups that have or have not filed.
    """
    report = AnnualGroupReport.objects.filter(
        group=OuterRef("pk"), fiscal_year=fiscal_year
    )
    overview = (
        groups_expected_to_file(groups)
        .select_related("municipality")
        .annotate(has_filed=Exists(report), report_id=Subquery(report.values("pk")[:1]))
        .order_by("municipality__code", "name_kana", "name", "pk")
    )
    if filed is not None:
        overview = overview.filter(has_filed=filed)
    return overview


def request_reminders(groups: QuerySet[CivicGroup], fiscal_year: int) -> int:
    """Queue reminder mails to the groups in *groups* that have not filed.

    Returns the number of groups queued. The task sends each group's
    admins at most one reminder a day, so pressing the button twice sends
    nothing more.
    """
    from groups.tasks.reports import send_report_reminders

    group_ids = list(
        filing_overview(groups, fiscal_year, filed=False).values_list("pk", flat=True)
    )
    if group_ids:
        transaction.on_commit(
            lambda: send_report_reminders.delay(fiscal_year, group_ids), robust=True
        )
    logger.info(
        "Report reminders for fiscal %s queued for %s groups",
        fiscal_year,
        len(group_ids),
    )
    return len(group_ids)
