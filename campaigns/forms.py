"""Forms of the campaign pages.

The forms check types and required fields. The services check the rules
(period, scope, availability, consent) and raise ValidationError, which the
views attach to the bound form, so what the user typed stays on the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Activity, Campaign, LoanItem, Participation, Photo
from campaigns.models.campaigns import MAX_EXPECTED_PARTICIPANTS
from campaigns.services.participations import ActivityData
from civic_portal.dates import validate_date_in_range
from groups.models import CivicGroup, Municipality
from volunteering.forms import DateInput

MYSELF = "myself"


class CampaignDateField(forms.DateField):
    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs["validators"] = [validate_date_in_range, *kwargs.get("validators", [])]
        super().__init__(**kwargs)


class CampaignForm(forms.ModelForm):
    """A campaign's fields; *municipalities* limits the scope a user may choose."""

    # The model's names, so that the form, the messages and the admin call
    # the period's ends by the same words (開始日 and 終了日 in Japanese).
    starts_on = CampaignDateField(
        label=capfirst(Campaign._meta.get_field("starts_on").verbose_name)
    )
    ends_on = CampaignDateField(
        label=capfirst(Campaign._meta.get_field("ends_on").verbose_name)
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "description",
            "starts_on",
            "ends_on",
            "registration_open",
            "municipality",
        ]

    def __init__(
        self,
        *args: Any,
        municipalities: QuerySet[Municipality],
        prefecture_wide: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities  # type: ignore[attr-defined]
        field.required = not prefecture_wide
        if prefecture_wide:
            field.empty_label = _("Whole prefecture")  # type: ignore[attr-defined]


class ParticipationForm(forms.Form):
    """The participant and a summary of their plans, for registering or editing."""

    participant = forms.ChoiceField(
        label=_("Taking part as"),
        widget=forms.RadioSelect,
        help_text=_("Yourself as a resident, or a group whose staff you are."),
    )
    summary = forms.CharField(
        label=_("What you will do"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("A few lines on how you take part in the campaign."),
    )
    share_consent = forms.BooleanField(
        label=_(
            "Campaign staff may include my name and e-mail address in the "
            "participant lists they export."
        ),
        required=False,
        help_text=_(
            "Only for residents. Without this, exports show you as an "
            "unnamed resident. You can withdraw this consent at any time."
        ),
        # The label is a sentence, so no colon follows it.
        label_suffix="",
    )

    def __init__(
        self, *args: Any, groups: QuerySet[CivicGroup] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if groups is None:
            # Editing: who takes part does not change.
            del self.fields["participant"]
            del self.fields["share_consent"]
            return
        self.groups = {str(group.pk): group for group in groups}
        participant = self.fields["participant"]
        assert isinstance(participant, forms.ChoiceField)
        participant.choices = [
            (MYSELF, _("Myself, as a resident")),
            *((pk, group.name) for pk, group in self.groups.items()),
        ]
        self.fields["participant"].initial = MYSELF

    def chosen_group(self) -> CivicGroup | None:
        value = self.cleaned_data.get("participant", MYSELF)
        return None if value == MYSELF else self.groups[value]


class ActivityForm(forms.ModelForm):
    """One activity; the campaign's period is checked here and in the service."""

    date = CampaignDateField(label=_("Date"))

    class Meta:
        model = Activity
        fields = ["title", "date", "place", "municipality", "expected_participants"]
        widgets = {
            "expected_participants": forms.NumberInput(
                attrs={"min": 1, "max": MAX_EXPECTED_PARTICIPANTS}
            )
        }

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["date"].help_text = _("From %(start)s to %(end)s.") % {
            "start": campaign.starts_on.isoformat(),
            "end": campaign.ends_on.isoformat(),
        }
        if campaign.municipality_id:
            self.fields["municipality"].initial = campaign.municipality_id

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day is not None:
            try:
                self.campaign.check_in_period(day, "date")
            except ValidationError as error:
                # clean_<field> must raise the messages, not a dict of fields.
                raise ValidationError(error.messages, code="outside_period") from error
        return day

    def activity_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            title=data["title"],
            date=data["date"],
            place=data["place"],
            municipality=data["municipality"],
            expected_participants=data["expected_participants"],
            pk=self.instance.pk,
        )


class BaseActivityFormSet(forms.BaseInlineFormSet):
    def activity_data(self) -> list[ActivityData]:
        """Return the activities to keep, without empty and deleted forms."""
        activities = []
        for form in self.forms:
            assert isinstance(form, ActivityForm)
            # An untouched extra form has empty cleaned_data.
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            activities.append(form.activity_data())
        return activities


_ActivityFormSet = forms.inlineformset_factory(
    parent_model=Participation,
    model=Activity,
    form=ActivityForm,
    formset=BaseActivityFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class LoanRequestForm(forms.Form):
    item = forms.ModelChoiceField(
        label=pgettext_lazy("loan", "Item"),
        queryset=LoanItem.objects.filter(is_active=True),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000)
    starts_on = CampaignDateField(label=_("From"))
    ends_on = CampaignDateField(label=_("Until"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example when you will collect the items."),
    )


class LoanItemForm(forms.ModelForm):
    class Meta:
        model = LoanItem
        fields = ["name", "description", "quantity", "is_active"]


class PhotoForm(forms.Form):
    """A photo upload; the service checks the file's content and the consent."""

    image = forms.FileField(label=_("Photo"))
    caption = forms.CharField(
        label=_("Caption"),
        max_length=300,
        help_text=_("What the photo shows; also read out to blind visitors."),
    )
    credit = forms.CharField(
        label=_("Credit"),
        max_length=100,
        help_text=_("The name shown with the photo, for example your group's name."),
    )
    people = forms.ChoiceField(
        label=_("People in the photo"),
        choices=Photo.People.choices,
        widget=forms.RadioSelect,
    )
    statement_confirmed = forms.BooleanField(
        label=_(
            "I confirm this statement, and I agree that the photo is shown in "
            "the campaign's public gallery and at exhibitions until I withdraw it."
        ),
        label_suffix="",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _(
            "JPEG, PNG or WebP, at most %(limit)d MB. The place where the "
            "photo was taken is removed from the file."
        ) % {"limit": settings.MAX_IMAGE_UPLOAD_BYTES // 1_048_576}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the participant by e-mail."),
    )


def activity_formset(
    data: Any, participation: Participation, campaign: Campaign
) -> BaseActivityFormSet:
    """Return the activities formset of *participation*, bound to *data* if given."""
    formset = _ActivityFormSet(
        data,
        instance=participation,
        form_kwargs={"campaign": campaign},
        prefix="activities",
    )
    assert isinstance(formset, BaseActivityFormSet)
    return formset
