from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.privacy.register import declared_fields


def register_field_choices() -> list[tuple[str, str | Promise]]:
    """Return every field of the personal-data register as '<app>.<Model>.<field>'."""
    names = sorted(
        f"{model}.{field}"
        for model, fields in declared_fields().items()
        for field in fields
    )
    return [("", _("Any field")), *((name, name) for name in names)]


class IncidentReportForm(forms.Form):
    """The time window and filters of the incident report."""

    since = forms.DateTimeField(
        label=_("Accessed from"),
        help_text=_("Inclusive, Japan time, for example 2026-04-01 09:00."),
    )
    until = forms.DateTimeField(
        label=_("Accessed before"), help_text=_("Exclusive, Japan time.")
    )
    actor = forms.IntegerField(label=_("Actor user ID"), required=False, min_value=1)
    field = forms.ChoiceField(label=_("Field"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = register_field_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until <= since:
            self.add_error("until", _("The end must be later than the start."))
        return cleaned
