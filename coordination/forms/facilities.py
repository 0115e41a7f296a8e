"""Forms of the facility and booking pages: input rules from kpu_polda.base.forms; the
services decide the rest. Times are typed in WITA."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import AgencyKind, FacilityKind
from coordination.models import Agency
from kpu_polda.base.forms import LOCAL_FORMATS, LOCAL_WIDGET_FORMAT, Form

from . import SELECT, TEXT, RegionCodeField

LOCAL = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=LOCAL_WIDGET_FORMAT)
REGION_HELP = _("Kemendagri code of where it stands, e.g. 64.72 for Kota Samarinda or 64.72.01 for a kecamatan.")


def _agencies(queryset):
    return queryset.select_related("jurisdiction").defer("jurisdiction__boundary").order_by("name")


def owner_choices(user):
    """The Polri agencies ``user`` may record facilities for: their own, or for the
    secretariat the Polri agencies in and above its scope (Polda's hall may stand in a
    kab/kota secretariat's region)."""
    if policies.is_secretariat(user):
        return _agencies(policies.scope_agencies(Agency.objects.filter(kind=AgencyKind.POLRI), user))
    return _agencies(Agency.objects.filter(pk=user.agency_id, kind=AgencyKind.POLRI))


def requester_choices(user):
    """The KPU offices ``user`` may request for: their own, or for the secretariat every
    KPU office inside its scope."""
    if policies.is_secretariat(user):
        return _agencies(policies.scope_agencies_below(Agency.objects.filter(kind=AgencyKind.KPU), user))
    return _agencies(Agency.objects.filter(pk=user.agency_id, kind=AgencyKind.KPU))


class FacilityForm(Form):
    owner = forms.ModelChoiceField(label=_("Owner (Polri agency)"), queryset=Agency.objects.none(),
                                   widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=_("Name"), max_length=160, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices, widget=forms.Select(attrs=SELECT))
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1,
                                  widget=forms.NumberInput(attrs=TEXT))
    capacity_unit = forms.CharField(label=_("Capacity unit"), max_length=40, required=False,
                                    widget=forms.TextInput(attrs={**TEXT, "placeholder": "orang"}),
                                    help_text=_("people (orang), m², tonnes, seats; a capacity in people limits "
                                                "the people expected at a booking."))
    region = RegionCodeField(label=_("Location (region code)"), help_text=REGION_HELP)
    address = forms.CharField(label=_("Address"), max_length=255, required=False, widget=forms.TextInput(attrs=TEXT))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        if "owner" in self.fields:
            self.fields["owner"].queryset = owner_choices(user)


class FacilityEditForm(FacilityForm):
    """The owner does not change; a facility is withdrawn from offer here, and offered again."""

    is_active = forms.BooleanField(label=_("Offered for booking"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                                   help_text=_("Untick to withdraw it from offer: it takes no new requests and no "
                                               "approvals; its bookings keep their status."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["owner"]


class BookingForm(Form):
    requester = forms.ModelChoiceField(label=_("For (KPU office)"), queryset=Agency.objects.none(),
                                       widget=forms.Select(attrs=SELECT))
    starts_at = forms.DateTimeField(label=_("From (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Until (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
                              help_text=_("What it is for, e.g. rapat pleno, bimtek KPPS, storing ballot boxes."))
    participants = forms.IntegerField(label=_("People expected"), required=False, min_value=1,
                                      widget=forms.NumberInput(attrs=TEXT))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the secretariat books for another office; everyone else for their own.
        if policies.is_secretariat(user):
            self.fields["requester"].queryset = requester_choices(user)
            self.fields["requester"].initial = user.agency_id
        else:
            del self.fields["requester"]


class ApproveForm(Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False,
                           widget=forms.TextInput(attrs=TEXT))


class RejectForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class CancelForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT),
                             help_text=_("Required when the owner cancels an approved booking."))
