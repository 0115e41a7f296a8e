"""The escort request form (one leg, its goods) and the bulk planning form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination import selectors as ground_selectors
from coordination.choices import AccessMode
from coordination.forms import RegionCodeField, StageChoiceField
from coordination.models import Election, PollingStation
from kpu_polda.base.forms import LOCAL_FORMATS, LOCAL_WIDGET_FORMAT, Form

from .. import selectors, services
from ..choices import (
    Cargo,
    Direction,
    ItemKind,
    PlaceKind,
)
from .common import SELECT, SMALL_SELECT, TEXT

LOCAL = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=LOCAL_WIDGET_FORMAT)
ITEM_ROWS = 6


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


class EscortRequestForm(Form):
    """One leg: where from, where to, when, how, and for a team escort who travels."""

    election = forms.ModelChoiceField(queryset=Election.objects.all(), label=_("Election"),
                                      widget=forms.Select(attrs=SELECT), empty_label=_("— choose an election —"))
    stage = StageChoiceField(label=_("Election stage"), required=False, empty_label=_("— choose a stage —"))
    cargo = forms.ChoiceField(choices=Cargo.choices, label=_("Escorts"), widget=forms.Select(attrs=SELECT))
    direction = forms.ChoiceField(choices=Direction.choices, label=_("Direction"), widget=forms.Select(attrs=SELECT))
    origin_kind = forms.ChoiceField(choices=PlaceKind.choices, label=_("Origin"), widget=forms.Select(attrs=SELECT))
    origin_region = RegionCodeField(required=False, placeholder=_("e.g. 64.72.01"), label=_("Origin region code"))
    origin_tps = StationInput(label=_("Origin TPS: village code and TPS number"))
    origin_name = forms.CharField(max_length=160, required=False, label=_("Origin name"),
                                  widget=forms.TextInput(attrs=TEXT))
    destination_kind = forms.ChoiceField(choices=PlaceKind.choices, label=_("Destination"),
                                         widget=forms.Select(attrs=SELECT))
    destination_region = RegionCodeField(required=False, placeholder=_("e.g. 64.72.01"),
                                         label=_("Destination region code"))
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
        # The service's own checks, so they show with the form's other errors.
        election = data.get("election")
        for check in (lambda: services.escort_times_check(data.get("planned_departure"), data.get("planned_arrival")),
                      lambda: services.escort_stage_check(data.get("stage"), election)):
            try:
                check()
            except ValidationError as exc:
                self.add_error(None, exc)
        for name in ("origin_tps", "destination_tps"):
            key = data.get(name)
            if key is None:
                continue
            station = selectors.station_for(self.user, key, election)
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


class PlanForm(forms.Form):
    """Plan the outbound legs of the kab/kota in view for one election."""

    region = forms.CharField(widget=forms.HiddenInput, max_length=13)
    election = forms.ModelChoiceField(queryset=None, to_field_name="code", label=_("Election"),
                                      widget=SMALL_SELECT)
    stage = forms.ModelChoiceField(queryset=None, required=False, label=_("Election stage"),
                                   widget=SMALL_SELECT, empty_label=_("No stage"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = ground_selectors.elections_for(user).order_by("-voting_day")
        self.fields["stage"].queryset = ground_selectors.stages_for(user).order_by("election", "starts_on", "order")


