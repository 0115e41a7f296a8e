"""The forms of the workflow: a decision step, a custody confirmation, a discrepancy's
resolution."""

from __future__ import annotations

import uuid
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from coordination import policies as ground
from coordination.choices import AgencyKind
from coordination.models import Agency
from kpu_polda.base.forms import Form

from ..choices import (
    COUNTED_EVENTS,
    ESCORT_STEPS,
    HANDOVER_EVENTS,
    EventKind,
    IncidentType,
    Severity,
)
from .common import SELECT, TEXT

# Photo types a confirmation accepts, by extension, with the type they are served as.
PHOTO_CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
                       ".heic": "image/heic"}
PHOTO_TYPES = tuple(PHOTO_CONTENT_TYPES)


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

