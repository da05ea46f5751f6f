"""Forms and filters of the partner directory."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civic_portal.search import KeywordFilterSet
from facilitation.models import Partner
from facilitation.services.partners import PARTNER_FIELDS
from groups.models import ActivityField, Municipality
from groups.normalize import clean_phone


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [*PARTNER_FIELDS, "activity_fields"]
        widgets = {
            "activity_fields": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("contact_phone", ""))

    def partner_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PARTNER_FIELDS}


class PartnerFilter(KeywordFilterSet):
    """Filters of the partner directory, on the page and in the API."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Partner.Kind.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Field of interest"),
        queryset=ActivityField.objects.all(),
        field_name="activity_fields",
        to_field_name="number",
    )
    include_inactive = django_filters.BooleanFilter(
        label=_("Include inactive partners"),
        method="filter_include_inactive",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "municipality", "field", "include_inactive"]

    def filter_include_inactive(
        self, queryset: QuerySet[Partner], name: str, value: bool | None
    ) -> QuerySet[Partner]:
        return queryset

    @property
    def qs(self) -> QuerySet[Partner]:
        queryset = super().qs
        # Inactive partners stay out of the list unless the box is ticked.
        include = (
            self.form.cleaned_data.get("include_inactive") if self.is_bound else False
        )
        if not include:
            queryset = queryset.filter(is_active=True)
        return queryset
