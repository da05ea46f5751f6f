"""The form for a collaboration example's text, one pair of fields per party."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from facilitation.models import CaseParty


class ExampleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, parties: Sequence[CaseParty], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        for party in self.parties:
            self.fields[f"did_{party.pk}"] = forms.CharField(
                label=_("What %(party)s did") % {"party": party.name},
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"gained_{party.pk}"] = forms.CharField(
                label=_("What %(party)s gained") % {"party": party.name},
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def texts(self) -> dict[int, tuple[str, str]]:
        """Return party id → (what they did, what they gained)."""
        return {
            party.pk: (
                self.cleaned_data[f"did_{party.pk}"],
                self.cleaned_data[f"gained_{party.pk}"],
            )
            for party in self.parties
        }

    def party_rows(self) -> list[tuple[CaseParty, forms.BoundField, forms.BoundField]]:
        return [
            (party, self[f"did_{party.pk}"], self[f"gained_{party.pk}"])
            for party in self.parties
        ]
