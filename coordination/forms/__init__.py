from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import RiskCategory
from coordination.models import Agency, Election, ElectionStage, Region
from kpu_polda.base.forms import Form


class PollingStationImportForm(Form):
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


class ApiTokenForm(Form):
    name = forms.CharField(label=_("Name"), max_length=80,
                           help_text=_("What will use the token, e.g. the TPS upload script."))
    expires_in_days = forms.IntegerField(label=_("Expires after (days)"), min_value=1, max_value=366,
                                         required=False, help_text=_("Leave empty for no expiry."))


# --- agreements, risks, TPS classes ---------------------------------------------------

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
ONE_TO_FIVE = [(n, str(n)) for n in range(1, 6)]
# ISO format: the browser date picker reads no other.
DATE = forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")


class StageChoiceField(forms.ModelChoiceField):
    """Stages named with their election: both elections have a "Masa kampanye"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=ElectionStage.objects.select_related("election").order_by("election__voting_day",
                                                                                            "starts_on", "order"),
                         widget=forms.Select(attrs=SELECT), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.election.name} · {obj.name}"


class RegionCodeField(forms.CharField):
    """A Kemendagri code typed by the user, turned into a Region (or a field error); an
    optional field left empty is None. With ``user`` set (by the form) only the regions
    of their scope are found."""

    def __init__(self, *, placeholder="64.72", **kwargs):
        super().__init__(max_length=13, widget=forms.TextInput(attrs={**TEXT, "placeholder": placeholder}), **kwargs)
        self.user = None

    def clean(self, value):
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        rows = Region.objects.filter(code=code).defer("boundary")
        if self.user is not None:
            rows = policies.scope_regions(rows, self.user)
        region = rows.first()
        if region is None:
            raise forms.ValidationError(_("Unknown region code, or outside your region."))
        return region


class RiskForm(Form):
    stage = StageChoiceField(label=_("Election stage"))
    region = RegionCodeField(label=_("Region code"))
    category = forms.ChoiceField(choices=RiskCategory.choices, label=_("Category"), widget=forms.Select(attrs=SELECT))
    title = forms.CharField(max_length=200, label=_("Title"), widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(required=False, label=_("Description"),
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    likelihood = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int, label=_("Likelihood (1-5)"),
                                        widget=forms.Select(attrs=SELECT))
    impact = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int, label=_("Impact (1-5)"),
                                    widget=forms.Select(attrs=SELECT))
    mitigation = forms.CharField(required=False, label=_("Mitigation plan"),
                                 widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    owner = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, label=_("Owner agency"),
                                   widget=forms.Select(attrs=SELECT))
    due_on = forms.DateField(required=False, label=_("Due on"), widget=DATE)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["owner"].queryset = agencies


class RiskEditForm(RiskForm):
    """Likelihood and impact change through a review, not an edit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["likelihood"]
        del self.fields["impact"]


class RiskReviewForm(Form):
    likelihood = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int, label=_("Likelihood (1-5)"),
                                        widget=forms.Select(attrs=SELECT))
    impact = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int, label=_("Impact (1-5)"),
                                    widget=forms.Select(attrs=SELECT))
    note = forms.CharField(label=_("What the review found"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class TransitionForm(Form):
    """A status change: the new status (only the moves the workflow allows from the
    current one are offered) and a reason. ``workflow`` is a kpu_polda.base.transitions
    Workflow; its labels name the statuses."""

    to_status = forms.ChoiceField(label=_("New status"), widget=forms.Select(attrs=SELECT))
    reason = forms.CharField(required=False, label=_("Reason"), widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, workflow, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(workflow.labels.items())
        if current is not None:
            allowed = workflow.allowed(current)
            choices = [(value, label) for value, label in choices if value in allowed]
        self.fields["to_status"].choices = choices


class EvidenceForm(Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    region = RegionCodeField(label=_("Region code"))
    stage = StageChoiceField(required=False, label=_("Election stage"))
    attachment = forms.FileField(required=False, label=_("Attachment (PDF)"),
                                 widget=forms.ClearableFileInput(attrs={**TEXT, "accept": "application/pdf"}))


class TpsClassImportForm(PollingStationImportForm):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}),
        help_text=_("Columns: village_code, number, polri_class; optional voter_rights, security, campaign, "
                    "neutrality, logistics, location, power_internet, evidence, assessed_on."),
    )


class AgreementDocumentForm(Form):
    document = forms.FileField(label=_("Scanned agreement (PDF)"),
                               widget=forms.ClearableFileInput(attrs={**TEXT, "accept": "application/pdf"}))
