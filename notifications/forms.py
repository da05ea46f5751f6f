from django import forms

from notifications.models import LineLink


class LineDeliveryForm(forms.ModelForm):
    class Meta:
        model = LineLink
        fields = ["delivery"]
        widgets = {"delivery": forms.RadioSelect}
