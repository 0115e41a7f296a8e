"""The logistics pages' forms: the escort request (with its goods), a decision step, a
custody confirmation and a discrepancy's resolution. They only read and check input; the
services decide."""

from __future__ import annotations

import uuid
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from coordination import policies as ground
from coordination.choices import AccessMode, AgencyKind
from coordination.forms import StageChoiceField
from coordination.models import Agency, Election, PollingStation, Region
from kpu_polda.base.forms import Form

from .choices import (
    COUNTED_EVENTS,
    ESCORT_STEPS,
    HANDOVER_EVENTS,
    Cargo,
    Direction,
    EventKind,
    IncidentType,
    ItemKind,
    PlaceKind,
    Severity,
)

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
# The browser's datetime-local input sends "2024-02-13T08:00" with no zone: read in WITA
# (TIME_ZONE), which is what the person typing it means.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
LOCAL = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ITEM_ROWS = 6
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".heic")


class RegionCodeInput(forms.CharField):
    """An optional Kemendagri code, turned into a Region the user may see (or a field error)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=13, required=False,
                         widget=forms.TextInput(attrs={**TEXT, "placeholder": _("e.g. 64.72.01")}), **kwargs)
        self.user = None

    def clean(self, value):
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        rows = Region.objects.filter(code=code).defer("boundary")
        region = (ground.scope_regions(rows, self.user) if self.user is not None else rows).first()
        if region is None:
            raise forms.ValidationError(_("Unknown region code, or outside your region."))
        return region


class StationWidget(forms.MultiWidget):
    """A TPS as people name it: its village's code and its number there."""

    def __init__(self):
        super().__init__([
            forms.TextInput(attrs={**TEXT, "placeholder": _("e.g. 64.72.01.1001"), "aria-label": _("Village code")}),
            forms.TextInput(attrs={**TEXT, "placeholder": _("TPS no., e.g. 3"), "aria-label": _("TPS number"),
                                   "inputmode": "numeric"}),
        ])

    def decompress(self, value):
        if isinstance(value, PollingStation):
            return [value.village_code, value.number]
        return [None, None]

    def value_from_datadict(self, data, files, name):
        code, number = super().value_from_datadict(data, files, name)
        if not code and not number and data.get(name):
            # A TPS's id under the field's own name (links and scripts written against the
            # form before it asked for the village and number) is still understood.
            return ["#id", data.get(name)]
        return [code, number]


class StationInput(forms.Field):
    """An optional TPS, by village code and TPS number. The field only reads the two
    parts; the form finds the station among those the user may see, in the chosen
    election (a TPS number is per election)."""

    widget = StationWidget

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value) -> tuple[str, int] | None:
        code, number = (list(value or []) + [None, None])[:2]
        code, number = (code or "").strip(), str(number or "").strip()
        if not code and not number:
            return None
        if code == "#id":
            if not number.isascii() or not number.isdigit() or len(number) > 18:
                raise forms.ValidationError(_("Unknown TPS, or outside your region."))
            return code, int(number)
        if not code or not number:
            raise forms.ValidationError(_("Give the village code and the TPS number."))
        if len(code) > 13 or not number.isascii() or not number.isdigit() or not 0 < int(number) < 10_000:
            raise forms.ValidationError(_("Unknown TPS, or outside your region."))
        return code, int(number)

    def has_changed(self, initial, data):
        return bool(data and any(data))


def find_station(user, key: tuple[str, int], election) -> PollingStation | None:
    """The TPS named by ``key`` (village code and number, or ``("#id", pk)``) that the
    user may see, in ``election``."""
    rows = PollingStation.objects.select_related("village")
    if user is not None:
        rows = ground.scope_polling_stations(rows, user)
    code, number = key
    if code == "#id":
        return rows.filter(pk=number).first()
    if election is None:
        return None
    return rows.filter(village_code=code, number=number, election=election).first()


class EscortRequestForm(Form):
    """One leg: where from, where to, when, how, and for a team escort who travels."""

    election = forms.ModelChoiceField(queryset=Election.objects.all(), label=_("Election"),
                                      widget=forms.Select(attrs=SELECT), empty_label=_("— choose an election —"))
    stage = StageChoiceField(label=_("Election stage"), required=False, empty_label=_("— choose a stage —"))
    cargo = forms.ChoiceField(choices=Cargo.choices, label=_("Escorts"), widget=forms.Select(attrs=SELECT))
    direction = forms.ChoiceField(choices=Direction.choices, label=_("Direction"), widget=forms.Select(attrs=SELECT))
    origin_kind = forms.ChoiceField(choices=PlaceKind.choices, label=_("Origin"), widget=forms.Select(attrs=SELECT))
    origin_region = RegionCodeInput(label=_("Origin region code"))
    origin_tps = StationInput(label=_("Origin TPS: village code and TPS number"))
    origin_name = forms.CharField(max_length=160, required=False, label=_("Origin name"),
                                  widget=forms.TextInput(attrs=TEXT))
    destination_kind = forms.ChoiceField(choices=PlaceKind.choices, label=_("Destination"),
                                         widget=forms.Select(attrs=SELECT))
    destination_region = RegionCodeInput(label=_("Destination region code"))
    destination_tps = StationInput(label=_("Destination TPS: village code and TPS number"))
    destination_name = forms.CharField(max_length=160, required=False, label=_("Destination name"),
                                       widget=forms.TextInput(attrs=TEXT))
    planned_departure = forms.DateTimeField(label=_("Planned departure (WITA)"), input_formats=LOCAL_FORMATS,
                                            widget=LOCAL)
    planned_arrival = forms.DateTimeField(label=_("Planned arrival (WITA)"), input_formats=LOCAL_FORMATS,
                                          widget=LOCAL)
    transport_mode = forms.ChoiceField(choices=AccessMode.choices, label=_("Transport"),
                                       widget=forms.Select(attrs=SELECT))
    team_members = forms.CharField(required=False, label=_("Team members (one per line)"),
                                   widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    team_purpose = forms.CharField(max_length=200, required=False, label=_("Team's purpose"),
                                   widget=forms.TextInput(attrs=TEXT))
    notes = forms.CharField(required=False, label=_("Notes"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def __init__(self, *args, user=None, elections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("origin_region", "destination_region"):
            self.fields[name].user = user
        if elections is not None:
            self.fields["election"].queryset = elections
            self.fields["stage"].queryset = self.fields["stage"].queryset.filter(election__in=elections)

    def clean(self):
        data = super().clean()
        departure, arrival = data.get("planned_departure"), data.get("planned_arrival")
        if departure and arrival and arrival < departure:
            self.add_error("planned_arrival", _("The arrival cannot be before the departure."))
        stage, election = data.get("stage"), data.get("election")
        if stage is not None and election is not None and stage.election_id != election.pk:
            self.add_error("stage", _("Choose a stage of the chosen election."))
        for name in ("origin_tps", "destination_tps"):
            key = data.get(name)
            if key is None:
                continue
            station = find_station(self.user, key, election)
            if station is None:
                data.pop(name, None)
                if "election" not in self.errors:  # without an election no TPS can be found
                    self.add_error(name, _("Unknown TPS, or outside your region."))
            else:
                data[name] = station
        return data


class ItemForm(Form):
    """One row of goods; a row left empty is skipped."""

    kind = forms.ChoiceField(choices=[("", "—"), *ItemKind.choices], required=False, label=_("Kind"),
                             widget=forms.Select(attrs={**SELECT, "class": "form-select form-select-sm"}))
    quantity = forms.IntegerField(min_value=1, max_value=10_000_000, required=False, label=_("Quantity"),
                                  widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    unit = forms.CharField(max_length=20, required=False, label=_("Unit"),
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    seal_numbers = forms.CharField(max_length=400, required=False, label=_("Seal numbers"),
                                   widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    box_label = forms.CharField(max_length=60, required=False, label=_("Box label code"),
                                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def clean(self):
        data = super().clean()
        filled = any(data.get(name) for name in ("quantity", "unit", "seal_numbers", "box_label"))
        if filled and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of goods."))
        if data.get("kind") and not data.get("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        return data

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        row = {name: data[name] for name in ("kind", "quantity", "seal_numbers", "box_label")}
        if data.get("unit"):
            row["unit"] = data["unit"]
        return row


# Rows shown open; the others wait in a "Add goods" <details>, so no script is needed.
ITEM_ROWS_SHOWN = 2


class BaseItemFormSet(forms.BaseFormSet):
    @property
    def shown_forms(self):
        return self.forms[:ITEM_ROWS_SHOWN]

    @property
    def more_forms(self):
        return self.forms[ITEM_ROWS_SHOWN:]

    @property
    def more_used(self) -> bool:
        """Whether a folded row holds something (or an error): then it is drawn unfolded."""
        return any(form.has_changed() or form.errors for form in self.more_forms) if self.is_bound else False


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=ITEM_ROWS, max_num=ITEM_ROWS,
                                    absolute_max=ITEM_ROWS, validate_max=True)


class StepForm(Form):
    """A decision step: its reason (required where the step needs one) and, for the
    assignment, who escorts."""

    reason = forms.CharField(max_length=500, required=False, label=_("Reason"), widget=forms.TextInput(attrs=TEXT))
    assigned_unit = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False,
                                           label=_("Escorting unit"), widget=forms.Select(attrs=SELECT),
                                           empty_label=_("My own unit"))
    commander_name = forms.CharField(max_length=120, required=False, label=_("Commander"),
                                     widget=forms.TextInput(attrs=TEXT))
    commander_nrp = forms.CharField(max_length=20, required=False, label=_("Commander's NRP"),
                                    widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}))
    personnel_count = forms.IntegerField(min_value=1, max_value=10_000, required=False, label=_("Personnel"),
                                         widget=forms.NumberInput(attrs=TEXT))
    vehicles = forms.CharField(max_length=200, required=False, label=_("Vehicles or boats"),
                               widget=forms.TextInput(attrs=TEXT))

    ASSIGNMENT = ("assigned_unit", "commander_name", "commander_nrp", "personnel_count", "vehicles")

    def __init__(self, *args, step, user=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{step.action}_%s")  # several step forms share a page
        super().__init__(*args, **kwargs)
        self.step = step
        if step.action == "assign":
            units = Agency.objects.filter(kind=AgencyKind.POLRI).order_by("name")
            self.fields["assigned_unit"].queryset = ground.scope_agencies(units, user) if user else units
        else:
            for name in self.ASSIGNMENT:
                del self.fields[name]
        if step.needs_reason:
            self.fields["reason"].required = True
        elif step.action in ("accept", "close", "assign"):
            self.fields["reason"].label = _("Note (optional)")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"reason": data.get("reason", "")}
        if self.step.action == "assign":
            arguments.update({name: data.get(name) for name in self.ASSIGNMENT[1:]})
            if data.get("assigned_unit") is not None:  # else the service takes the officer's own unit
                arguments["assigned_unit"] = data["assigned_unit"]
        return arguments


YES_NO = [("", _("Not checked")), ("yes", _("Yes, intact")), ("no", _("No, broken or different"))]


class ConfirmForm(Form):
    """One custody confirmation as a person files it on a phone: counts per item, seals,
    who signs, an optional photo and place. At departure and arrival the counts start from
    what was sent; at the hand-over each party counts for themselves (what was sent is shown
    beside each field), says whether the seals are intact and writes the numbers they see,
    so two agreeing confirmations mean two people counted. ``again`` is the party's own
    earlier hand-over confirmation when the other party's differed: confirming again then
    needs a reason.

    ``idempotency_key`` is made when the form is drawn, so a double tap or a resent POST
    carries the same key and the service answers with the first event."""

    idempotency_key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    seals_intact = forms.ChoiceField(choices=YES_NO, required=False, label=_("Seals intact?"),
                                     widget=forms.RadioSelect)
    seals_seen = forms.CharField(max_length=400, required=False, label=_("Seal numbers seen"),
                                 widget=forms.TextInput(attrs=TEXT))
    incident_type = forms.ChoiceField(choices=IncidentType.choices, label=_("Incident"),
                                      widget=forms.Select(attrs=SELECT))
    severity = forms.ChoiceField(choices=Severity.choices, label=_("Severity"), widget=forms.Select(attrs=SELECT))
    note = forms.CharField(max_length=2000, required=False, label=_("Note"),
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    acting_as = forms.CharField(max_length=80, required=False, label=_("Acting as"),
                                help_text=_("For example: komandan pengawalan, ketua PPS, ketua KPPS."),
                                widget=forms.TextInput(attrs=TEXT))
    signer_name = forms.CharField(max_length=120, required=False, label=_("Name of the signer"),
                                  widget=forms.TextInput(attrs=TEXT))
    witnesses = forms.CharField(max_length=300, required=False, label=_("Witnesses"),
                                widget=forms.TextInput(attrs=TEXT))
    photo = forms.FileField(required=False, label=_("Photo (optional)"),
                            widget=forms.ClearableFileInput(attrs={**TEXT, "accept": "image/*"}))
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False,
                                  label=_("Latitude"), widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}))
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False,
                                   label=_("Longitude"),
                                   widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}))
    device_time = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=500, required=False, label=_("Why you confirm again"),
                             widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, action: str, items=(), user=None, again=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("idempotency_key", uuid.uuid4().hex)
        if user is not None:
            initial.setdefault("signer_name", user.get_full_name() or user.username)
        super().__init__(*args, **kwargs)
        self.action = action
        self.items = list(items)
        self.counted = bool(self.items) and action != "incident" and self.event_kind in COUNTED_EVENTS
        handover = self.event_kind in HANDOVER_EVENTS
        if self.counted:
            seals = []
            for item in self.items:
                self.fields[f"count_{item.pk}"] = forms.IntegerField(
                    min_value=0, max_value=10_000_000, initial=None if handover else item.quantity,
                    label=str(item), help_text=_("sent %(n)s") % {"n": item.quantity} if handover else "",
                    widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}))
                seals += item.seals
            if handover and seals:
                self.fields["seals_intact"].required = True
                self.fields["seals_intact"].choices = YES_NO[1:]
                self.fields["seals_seen"].help_text = _("Recorded at departure: %(seals)s") % {"seals": " ".join(seals)}
            elif not handover:
                self.fields["seals_seen"].initial = " ".join(seals)
        else:
            for name in ("seals_intact", "seals_seen"):
                del self.fields[name]
        if action != "incident":
            del self.fields["incident_type"]
            del self.fields["severity"]
        if action != "handover-receipt":
            del self.fields["witnesses"]
        self.again = again
        if again is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    @property
    def event_kind(self) -> str:
        return EventKind.INCIDENT if self.action == "incident" else ESCORT_STEPS[self.action].event

    def count_fields(self):
        return [self[f"count_{item.pk}"] for item in self.items] if self.counted else []

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            raise forms.ValidationError(_("The photo is larger than %(size)s MiB.") % {
                "size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)})
        if not photo.name.lower().endswith(PHOTO_TYPES):
            raise forms.ValidationError(_("Send a photo (JPEG, PNG, WebP or HEIC)."))
        return photo

    def clean_device_time(self) -> datetime | None:
        text = self.cleaned_data.get("device_time", "").strip()
        if not text:
            return None
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None or not 1990 <= moment.year <= 2100:
            raise forms.ValidationError(_("The phone's time could not be read."))
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "idempotency_key": data["idempotency_key"], "note": data.get("note", ""),
            "acting_as": data.get("acting_as", ""), "signer_name": data.get("signer_name", ""),
            "latitude": data.get("latitude"), "longitude": data.get("longitude"),
            "device_time": data.get("device_time"), "photo": data.get("photo"),
        }
        if self.counted:
            arguments["counts"] = {item.pk: data[f"count_{item.pk}"] for item in self.items}
            arguments["seals_intact"] = {"yes": True, "no": False}.get(data.get("seals_intact") or "")
            arguments["seals_seen"] = data.get("seals_seen", "")
        if "witnesses" in self.fields:
            arguments["witnesses"] = data.get("witnesses", "")
        if self.action == "incident":
            arguments["incident_type"], arguments["severity"] = data["incident_type"], data["severity"]
        if self.again is not None:
            arguments["reason"] = data["reason"]
        return arguments


class ResolveForm(Form):
    resolution = forms.CharField(max_length=2000, label=_("How it was resolved"),
                                 widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

