from django import forms
from django.utils.translation import gettext_lazy as _


class YearActionForm(forms.Form):
    """A staff action on a fiscal year's stored figures, with its confirmation."""

    COMPUTE = "compute"
    FREEZE = "freeze"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (COMPUTE, _("Compute and store the current values")),
            (FREEZE, _("Freeze the year")),
        ],
    )
    confirm = forms.BooleanField(
        label=_("I have checked the figures above."),
        error_messages={
            "required": _("Tick the box to confirm before you compute or freeze.")
        },
    )
