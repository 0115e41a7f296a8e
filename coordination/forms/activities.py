"""Forms of the training, facilitation and peace declaration pages: input rules from
kpu_polda.base.forms; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import AgencyKind, TrainingKind
from coordination.models import Agency, User
from kpu_polda.base.forms import LOCAL_FORMATS, LOCAL_WIDGET_FORMAT, Form

from . import DATE, SELECT, TEXT, RegionCodeField

LOCAL = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=LOCAL_WIDGET_FORMAT)
AREA_HELP = _("Kemendagri code of the region, e.g. 64.72 for Kota Samarinda.")


def _agencies(user, *kinds: str):
    rows = policies.scope_agencies(Agency.objects.select_related("jurisdiction").defer("jurisdiction__boundary"), user)
    return rows.filter(kind__in=kinds) if kinds else rows


class ScopedForm(Form):
    """A form whose region field finds only the regions of the user's scope."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "area" in self.fields:
            self.fields["area"].user = user


# --- trainings ------------------------------------------------------------------------------


class TrainingForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices, widget=forms.Select(attrs=SELECT))
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Agency.objects.none(),
                                       widget=forms.Select(attrs=SELECT))
    co_organiser = forms.ModelChoiceField(label=_("Co-organiser"), queryset=Agency.objects.none(), required=False,
                                          widget=forms.Select(attrs=SELECT))
    area = RegionCodeField(label=_("Region code"), help_text=AREA_HELP)
    starts_at = forms.DateTimeField(label=_("Starts (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Ends (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        agencies = _agencies(user, AgencyKind.KPU, AgencyKind.POLRI)
        self.fields["organiser"].queryset = agencies
        self.fields["co_organiser"].queryset = agencies


class TrainingHoldForm(Form):
    evaluation_score = forms.DecimalField(label=_("Evaluation score (0-100)"), required=False, min_value=0,
                                          max_value=100, max_digits=5, decimal_places=2,
                                          widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}))
    reason = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT))


class TrainingScoreForm(Form):
    evaluation_score = forms.DecimalField(label=_("Evaluation score (0-100)"), required=False, min_value=0,
                                          max_value=100, max_digits=5, decimal_places=2,
                                          widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
                                          help_text=_("Leave empty to clear it."))


class TrainingCancelForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class ParticipantForm(ScopedForm):
    username = forms.CharField(label=_("Username (a user of the app)"), max_length=150, required=False,
                               widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label=_("Name"), max_length=160, required=False, widget=forms.TextInput(attrs=TEXT),
                           help_text=_("For someone without an account; a user's name is filled in."))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False,
                                    widget=forms.Select(attrs=SELECT))
    position = forms.CharField(label=_("Position"), max_length=120, required=False,
                               widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["agency"].queryset = _agencies(user)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        person = User.objects.filter(username=username, is_active=True,
                                     agency__in=policies.scope_agencies(Agency.objects.all(), self.user)).first()
        if person is None:
            raise forms.ValidationError(_("No user of that name among the agencies you can see."))
        return person

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and not self.errors and not (cleaned.get("name") or "").strip():
            raise forms.ValidationError(_("Give a username, or the name and agency of the participant."))
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"user": data["username"], "name": data["name"], "agency": data["agency"], "position": data["position"]}


class AttendanceForm(Form):
    attended = forms.TypedMultipleChoiceField(label=_("Attended"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(p.pk, f"{p.name} ({p.agency})") for p in participants]
        if not self.is_bound:
            self.initial["attended"] = [p.pk for p in participants if p.attended]


class MaterialForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(label=_("File"), required=False,
                           widget=forms.ClearableFileInput(attrs={
                               **TEXT, "accept": ".pdf,.docx,.pptx,.xlsx,.odt,.odp,.ods,.jpg,.jpeg,.png"}),
                           help_text=_("PDF, office document or image."))
    link = forms.CharField(label=_("Or a link"), max_length=400, required=False,
                           widget=forms.URLInput(attrs={**TEXT, "placeholder": "https://"}))


# --- stakeholder facilitation ---------------------------------------------------------------


class FacilitationForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    facilitator = forms.ModelChoiceField(label=_("Facilitated by (police unit)"), queryset=Agency.objects.none(),
                                         widget=forms.Select(attrs=SELECT))
    kpu_office = forms.ModelChoiceField(label=_("KPU office"), queryset=Agency.objects.none(),
                                        widget=forms.Select(attrs=SELECT))
    area = RegionCodeField(label=_("Region code"), help_text=AREA_HELP)
    held_at = forms.DateTimeField(label=_("Held at (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    stakeholders = forms.CharField(label=_("Stakeholders present"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                                   help_text=_("Who came: tokoh agama, tokoh adat, campaign teams, parties..."))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["facilitator"].queryset = _agencies(user, AgencyKind.POLRI)
        self.fields["kpu_office"].queryset = _agencies(user, AgencyKind.KPU)


# --- peace declarations ---------------------------------------------------------------------


class DeclarationForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    event = forms.CharField(label=_("Event"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    area = RegionCodeField(label=_("Region code"), help_text=AREA_HELP)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    source = forms.URLField(label=_("Source (web address)"), max_length=400, required=False,
                            widget=forms.URLInput(attrs=TEXT))
    signatories = forms.CharField(
        label=_("Signatories"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
        help_text=_("One per line, in signing order: party | representative | position | agency code (position "
                    "and agency code may be left out)."))

    def clean_signatories(self) -> list[dict]:
        lines = [line.strip() for line in self.cleaned_data["signatories"].splitlines() if line.strip()]
        split = [line.split("|") for line in lines]
        codes = {parts[3].strip() for parts in split if len(parts) > 3 and parts[3].strip()}
        agencies = {a.code: a for a in policies.scope_agencies(Agency.objects.filter(code__in=codes), self.user)}
        rows, errors = [], []
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or len(parts) > 4 or not parts[0] or not parts[1]:
                errors.append(_("Line %(n)s: write party | representative | position | agency code.") % {"n": number})
                continue
            code = parts[3] if len(parts) > 3 else ""
            if code and code not in agencies:
                errors.append(_("Line %(n)s: unknown agency code %(code)s.") % {"n": number, "code": code})
                continue
            rows.append({"party": parts[0], "representative": parts[1], "position": parts[2] if len(parts) > 2 else "",
                         "agency": agencies.get(code)})
        if errors:
            raise forms.ValidationError(errors)
        return rows

    @staticmethod
    def signatories_text(declaration) -> str:
        """The signatories of ``declaration`` as the form writes them."""
        lines = []
        for row in declaration.signatories.all():
            parts = [row.party, row.representative, row.position, row.agency.code if row.agency else ""]
            lines.append(" | ".join(parts).rstrip(" |"))
        return "\n".join(lines)


class DeclarationDocumentForm(Form):
    document = forms.FileField(label=_("Signed document (PDF)"),
                               widget=forms.ClearableFileInput(attrs={**TEXT, "accept": "application/pdf"}))
