"""Collaboration cases, their parties and history, and published examples.

A case (協働案件) brings civic groups and partners together around a
shared goal. It is private to facilitators and centre staff. A completed
case becomes public only as a collaboration example (協働事例), and only
while every party's consent is in force.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStage(models.TextChoices):
    CONSULTATION = "consultation", pgettext_lazy("collaboration stage", "Consultation")
    MATCHING = "matching", pgettext_lazy("collaboration stage", "Matching")
    AGREEMENT = "agreement", pgettext_lazy("collaboration stage", "Agreement")
    IN_PROGRESS = "in_progress", pgettext_lazy("collaboration stage", "In progress")
    COMPLETED = "completed", pgettext_lazy("collaboration stage", "Completed")
    DISCONTINUED = "discontinued", pgettext_lazy("collaboration stage", "Discontinued")


class Principle(models.TextChoices):
    """The five principles of collaboration (協働の5原則)."""

    EQUAL_FOOTING = "equal_footing", _("Equal footing")
    MUTUAL_UNDERSTANDING = "mutual_understanding", _("Mutual understanding")
    MUTUAL_INDEPENDENCE = "mutual_independence", _("Mutual independence")
    SHARED_GOAL = "shared_goal", _("A shared goal")
    OPEN_INFORMATION = "open_information", _("Open information")


class CollaborationCase(models.Model):
    """A collaboration that a facilitator coordinates (協働案件)."""

    centre = models.ForeignKey(
        "groups.SupportCentre",
        on_delete=models.PROTECT,
        related_name="collaboration_cases",
        verbose_name=_("support centre"),
    )
    facilitator = models.ForeignKey(
        "facilitation.Facilitator",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("facilitator"),
    )
    title = models.CharField(_("title"), max_length=200)
    shared_goal = models.TextField(_("shared goal"))
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=CaseStage.choices,
        default=CaseStage.CONSULTATION,
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"), auto_now_add=True)
    discontinued_reason = models.TextField(_("reason for discontinuing"), blank=True)
    next_steps = models.TextField(
        pgettext_lazy("collaboration case", "next steps"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("collaboration case")
        verbose_name_plural = _("collaboration cases")
        indexes = [models.Index(fields=["stage", "stage_changed_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage not in (CaseStage.COMPLETED, CaseStage.DISCONTINUED)


class CaseStageChange(models.Model):
    """One step in a case's history: who moved it from which stage to which."""

    case = models.ForeignKey(
        CollaborationCase,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("collaboration case"),
    )
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=CaseStage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=20, choices=CaseStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case stage change")
        verbose_name_plural = _("case stage changes")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class CaseParty(models.Model):
    """A civic group or a partner taking part in a case, never both."""

    case = models.ForeignKey(
        CollaborationCase,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("collaboration case"),
    )
    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collaboration_parties",
        verbose_name=_("civic group"),
    )
    partner = models.ForeignKey(
        "facilitation.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collaboration_parties",
        verbose_name=_("partner"),
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        help_text=_("For example: organiser, venue, funding, volunteers."),
    )
    contribution = models.TextField(_("what they contribute"))
    outcome = models.TextField(_("outcome for this party"), blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(partner__isnull=True))
                | (Q(group__isnull=True) & Q(partner__isnull=False)),
                name="case_party_is_group_or_partner",
            ),
            models.UniqueConstraint(
                fields=["case", "group"],
                condition=Q(group__isnull=False),
                name="one_party_per_case_and_group",
            ),
            models.UniqueConstraint(
                fields=["case", "partner"],
                condition=Q(partner__isnull=False),
                name="one_party_per_case_and_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The group's or the partner's name (select both to avoid queries)."""
        if self.group_id is not None:
            return self.group.name  # type: ignore[union-attr]
        return self.partner.name  # type: ignore[union-attr]


class PrincipleAnswer(models.Model):
    """A party's answer to one of the five principles, recorded at agreement."""

    party = models.ForeignKey(
        CaseParty,
        on_delete=models.CASCADE,
        related_name="principle_answers",
        verbose_name=_("case party"),
    )
    principle = models.CharField(
        _("principle"), max_length=30, choices=Principle.choices
    )
    agrees = models.BooleanField(_("agrees"))
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["party", "pk"]
        verbose_name = _("answer to a principle")
        verbose_name_plural = _("answers to the principles")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "principle"], name="one_answer_per_party_principle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.principle}"


class CaseInvitation(models.Model):
    """A regional facilitator of another centre invited to see a case.

    `requested_by_party` names the party that requested the invitation. It
    is empty when the case's facilitator invited on their own account.
    """

    case = models.ForeignKey(
        CollaborationCase,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("collaboration case"),
    )
    facilitator = models.ForeignKey(
        "facilitation.Facilitator",
        on_delete=models.CASCADE,
        related_name="case_invitations",
        verbose_name=_("invited facilitator"),
    )
    requested_by_party = models.ForeignKey(
        CaseParty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("at the request of"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case invitation")
        verbose_name_plural = _("case invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "facilitator"], name="one_invitation_per_facilitator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.facilitator_id}"


class CaseNote(models.Model):
    """Dated notes of a meeting about the case (会議記録)."""

    case = models.ForeignKey(
        CollaborationCase,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("collaboration case"),
    )
    held_on = models.DateField(_("meeting date"))
    body = models.TextField(_("notes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting note")
        verbose_name_plural = _("meeting notes")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.held_on}"


class CollaborationExampleQuerySet(models.QuerySet["CollaborationExample"]):
    def published(self) -> "CollaborationExampleQuerySet":
        return self.filter(published_at__isnull=False)


class CollaborationExample(models.Model):
    """The public account of a completed case (協働事例).

    It is public while `published_at` is set. Publishing needs every
    party's consent, and a withdrawn consent clears `published_at`.
    """

    case = models.OneToOneField(
        CollaborationCase,
        on_delete=models.PROTECT,
        related_name="example",
        verbose_name=_("collaboration case"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = CollaborationExampleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("collaboration example")
        verbose_name_plural = _("collaboration examples")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ExampleParty(models.Model):
    """One row of an example's table: what a party did and gained, and consent.

    Consent is in force while `consent_given_at` is set and
    `consent_withdrawn_at` is empty. Giving consent again after a
    withdrawal clears the withdrawal.
    """

    example = models.ForeignKey(
        CollaborationExample,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("collaboration example"),
    )
    party = models.ForeignKey(
        CaseParty,
        on_delete=models.PROTECT,
        related_name="example_rows",
        verbose_name=_("case party"),
    )
    what_they_did = models.TextField(_("what they did"))
    what_they_gained = models.TextField(_("what they gained"))
    consent_given_at = models.DateTimeField(
        _("consent given at"), null=True, blank=True
    )
    consent_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_withdrawn_at = models.DateTimeField(
        _("consent withdrawn at"), null=True, blank=True
    )
    consent_withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        ordering = ["party__created_at", "party_id"]
        verbose_name = _("party of an example")
        verbose_name_plural = _("parties of an example")
        constraints = [
            models.UniqueConstraint(
                fields=["example", "party"], name="one_row_per_example_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.example_id}: {self.party_id}"

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None
