"""Forms for recording, editing and withdrawing recognitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from facilitation.models import Partner, Recognition
from facilitation.services.recognitions import RECOGNITION_FIELDS
from groups.models import CivicGroup
from volunteering.forms import DateInput


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
            "group": _("Choose a civic group or a partner, not both."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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

    def recognition_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in RECOGNITION_FIELDS}


class WithdrawForm(forms.Form):
    on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept for staff. The public pages no longer list the recognition."),
    )
