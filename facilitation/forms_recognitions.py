"""Forms for recording, editing and withdrawing recognitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civic_portal.search import KEYWORD_MAX_LENGTH, filter_by_keywords
from facilitation.models import Partner, Recognition
from facilitation.services.recognitions import RECOGNITION_FIELDS
from groups.models import CivicGroup
from volunteering.forms import DateInput

# The civic group list shows at most this many groups that match the
# search, because a <select> of every group in the prefecture (thousands)
# is too long to use. Validation still accepts any public group.
GROUP_CHOICES_MAX = 50


class RecognitionForm(forms.ModelForm):
    """A recognition's kind, fiscal year, recipient and designation date.

    The model's rules (one recipient, the date inside the fiscal year) show
    on the form. The service adds the date and duplicate checks.
    """

    class Meta:
        model = Recognition
        fields = list(RECOGNITION_FIELDS)
        widgets = {
            "citation": forms.Textarea(attrs={"rows": 3}),
            "designated_on": DateInput(),
        }
        help_texts = {
            "group": _(
                "Choose a civic group or a partner, not both. The list shows "
                "the groups that match the search above."
            ),
        }

    def __init__(self, *args: Any, group_query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        partner = self.fields["partner"]
        # A recognition keeps its recipient when the group or partner has
        # since left the registry, so the current one stays a choice.
        current_group = self.instance.group_id
        current_partner = self.instance.partner_id
        group.queryset = (  # type: ignore[attr-defined]
            CivicGroup.objects.filter(pk=current_group) | CivicGroup.objects.public()
        ).order_by("name", "pk")
        partner.queryset = (  # type: ignore[attr-defined]
            Partner.objects.filter(pk=current_partner) | Partner.objects.active()
        ).order_by("name", "pk")
        self.group_query = group_query.strip()[:KEYWORD_MAX_LENGTH]
        self.group_matches: list[CivicGroup] = []
        self.group_matches_truncated = False
        self._limit_group_choices()

    def _limit_group_choices(self) -> None:
        """Offer the groups that match the search, and the chosen group."""
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        queryset = field.queryset
        assert queryset is not None
        if self.group_query:
            matches = list(
                filter_by_keywords(
                    CivicGroup.objects.public(), self.group_query
                ).order_by("name", "pk")[: GROUP_CHOICES_MAX + 1]
            )
            self.group_matches_truncated = len(matches) > GROUP_CHOICES_MAX
            self.group_matches = matches[:GROUP_CHOICES_MAX]
        offered = list(self.group_matches)
        chosen = str(self["group"].value() or "")
        if chosen.isdigit() and all(group.pk != int(chosen) for group in offered):
            offered[:0] = queryset.filter(pk=int(chosen))
        field.widget.choices = [
            ("", field.empty_label or ""),
            *((group.pk, field.label_from_instance(group)) for group in offered),
        ]

    def recognition_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in RECOGNITION_FIELDS}


class WithdrawForm(forms.Form):
    on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept for staff. The public pages no longer list the recognition."),
    )
