from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.models import User


class DeleteAccountForm(forms.Form):
    """The password that confirms the deletion of the signed-in user's account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct. Please enter your current password."),
                code="password_incorrect",
            )
        return password
