from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coordination.models import Election


class PollingStationImportForm(forms.Form):
    election = forms.ModelChoiceField(queryset=Election.objects.all(), label=_("Election"),
                                      widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}),
        help_text=_("Columns: village_code, number, voters; optional address, latitude, longitude, "
                    "is_special_location, access_mode, travel_minutes, is_remote."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CSV_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s KiB.") % {"size": settings.CSV_IMPORT_MAX_BYTES // 1024}
            )
        return upload


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80,
                           help_text=_("What will use the token, e.g. the TPS upload script."))
    expires_in_days = forms.IntegerField(label=_("Expires after (days)"), min_value=1, max_value=366,
                                         required=False, help_text=_("Leave empty for no expiry."))
