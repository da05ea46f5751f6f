"""Keyword search over a normalised `search_text` column.

The stored text and the query are both normalised by
civic_portal.text.normalize_search_text, so full-width and half-width forms
match and hiragana finds katakana. Every term of the query must occur.
"""

from __future__ import annotations

from typing import TypeVar

import django_filters
from django.db.models import Model, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from civic_portal.text import search_terms

# pg_trgm indexes three-character sequences, so its GIN index cannot serve
# a shorter term.
TRIGRAM_LENGTH = 3
KEYWORD_MAX_LENGTH = 100

ModelT = TypeVar("ModelT", bound=Model)


def filter_by_keywords(
    queryset: QuerySet[ModelT], query: str, field: str = "search_text"
) -> QuerySet[ModelT]:
    """Keep the rows whose *field* contains every term of *query*."""
    for term in search_terms(query):
        if len(term) >= TRIGRAM_LENGTH:
            queryset = queryset.filter(**{f"{field}__contains": term})
        else:
            # LIKE on a short term can lead PostgreSQL to read every entry
            # of the trigram index. strpos() is not indexable, so it only
            # tests the rows that the other conditions leave.
            position = StrIndex(field, Value(term))
            queryset = queryset.filter(GreaterThan(position, 0))
    return queryset


class KeywordFilterSet(django_filters.FilterSet):
    """A FilterSet with a `q` keyword filter over the `search_text` column."""

    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", max_length=KEYWORD_MAX_LENGTH
    )

    def filter_keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_by_keywords(queryset, value)

    def filter_true_only(
        self, queryset: QuerySet, name: str, value: bool | None
    ) -> QuerySet:
        # An unticked box means "no restriction", not "only rows without it".
        if value:
            return queryset.filter(**{name: True})
        return queryset
