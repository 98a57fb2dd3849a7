from django import forms
from django.utils.translation import gettext_lazy as _

from org.forms import BEDateField
from org.models import District, SubDistrict

from .models import Factory
from .services import EDITABLE


class FactoryForm(forms.ModelForm):
    """Parses and shows the fields; the rules live in registry.services (called by the view)."""

    class Meta:
        model = Factory
        fields = EDITABLE
        field_classes = {"licence_issued_on": BEDateField, "operating_since": BEDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get(self.add_prefix("province")) or getattr(self.instance, "province_id", None)
        district = self.data.get(self.add_prefix("district")) or getattr(self.instance, "district_id", None)
        districts = District.objects.filter(province_id=province) if province else District.objects.none()
        subs = SubDistrict.objects.filter(district_id=district) if district else SubDistrict.objects.none()
        if province and not district:
            subs = SubDistrict.objects.filter(district__province_id=province)
        self.fields["district"].queryset = districts
        self.fields["sub_district"].queryset = subs
        self.fields["district"].help_text = _("Choose the province first, then save to refresh the list.")

    def _post_clean(self):
        # Build the instance but leave validation of rules to the service.
        self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file (UTF-8)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
