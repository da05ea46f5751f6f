"""Filters of the group directory, shared by its page, its export and the API.

The keyword matches the group's normalised name, reading and description
(CivicGroup.search_text) with the query normalised the same way, so
full-width and half-width forms are equal and hiragana finds katakana.
Every term of the query must match, and a term may be two characters long.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from civic_portal.search import filter_by_keywords
from groups.models import ActivityField, CivicGroup, Municipality
from groups.selectors_directory import recruiting_posts


class GroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", max_length=100
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        empty_label=_("All municipalities"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Activity field"),
        field_name="activity_fields",
        queryset=ActivityField.objects.all(),
        to_field_name="number",
        empty_label=_("All fields"),
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"),
        choices=CivicGroup.LegalForm.choices,
        empty_label=_("All legal forms"),
    )
    recruiting = django_filters.BooleanFilter(
        label=_("Recruiting volunteers now"),
        widget=forms.CheckboxInput,
        method="filter_recruiting",
    )
    probono = django_filters.BooleanFilter(
        label=_("Wants pro bono help"),
        field_name="wants_probono",
        widget=forms.CheckboxInput,
        method="filter_probono",
    )

    class Meta:
        model = CivicGroup
        fields: list[str] = []

    def filter_keyword(
        self, queryset: QuerySet[CivicGroup], name: str, value: str
    ) -> QuerySet[CivicGroup]:
        return filter_by_keywords(queryset, value)

    # An unticked box means "no restriction", not "only groups without it".

    def filter_recruiting(
        self, queryset: QuerySet[CivicGroup], name: str, value: bool | None
    ) -> QuerySet[CivicGroup]:
        if not value:
            return queryset
        return queryset.filter(Exists(recruiting_posts().filter(group=OuterRef("pk"))))

    def filter_probono(
        self, queryset: QuerySet[CivicGroup], name: str, value: bool | None
    ) -> QuerySet[CivicGroup]:
        if not value:
            return queryset
        return queryset.filter(wants_probono=True)
