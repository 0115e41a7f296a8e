"""The meetings pages' forms: input rules from kpu_polda.base.forms; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import Agency, ElectionStage
from kpu_polda.base.forms import LOCAL_FORMATS, LOCAL_WIDGET_FORMAT, Form

from .choices import ActionStatus, MeetingKind


class MinutesForm(Form):
    chair_name = forms.CharField(label=_("Chair"), max_length=160)
    opening = forms.CharField(label=_("Opening"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    closing = forms.CharField(label=_("Closing"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EntryForm(Form):
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=160, required=False)
    discussion = forms.CharField(label=_("Discussion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ObstacleForm(Form):
    description = forms.CharField(label=_("Obstacle"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    proposed_solution = forms.CharField(label=_("Proposed solution"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))


EntryFormSet = forms.formset_factory(EntryForm, extra=1, max_num=40, absolute_max=40)
ObstacleFormSet = forms.formset_factory(ObstacleForm, extra=1, max_num=20, absolute_max=20)


def filled(formset) -> list[dict]:
    """The rows of a valid formset that say something (an empty extra row is skipped)."""
    return [form.cleaned_data for form in formset.forms if any((form.cleaned_data or {}).values())]


class AmendForm(Form):
    part = forms.ChoiceField(label=_("Part"), choices=[("chair_name", _("Chair")), ("opening", _("Opening")),
                                                       ("decisions", _("Decisions")), ("closing", _("Closing"))])
    text = forms.CharField(label=_("Corrected text"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=500)


TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
LOCAL = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=LOCAL_WIDGET_FORMAT)
# The reminder choices offered on the page (minutes before the start).
REMINDER_CHOICES = [(3 * 24 * 60, _("3 days before")), (24 * 60, _("1 day before")), (120, _("2 hours before")),
                    (30, _("30 minutes before"))]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        return agency.name


class AgencyMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, agency):
        return agency.name


class _Scheduling(Form):
    """What a one-off meeting and a series share: the agencies come from the user's scope."""

    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, widget=forms.Select(attrs=SELECT))
    place = forms.CharField(label=_("Place"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    online_link = forms.URLField(label=_("Online link"), required=False, widget=forms.URLInput(attrs=TEXT))
    organiser = AgencyChoiceField(label=_("Organiser"), queryset=Agency.objects.none(),
                                  widget=forms.Select(attrs=SELECT))
    co_organiser = AgencyChoiceField(label=_("Co-organiser"), queryset=Agency.objects.none(), required=False,
                                     widget=forms.Select(attrs=SELECT))
    invited_agencies = AgencyMultipleField(label=_("Invited agencies"), queryset=Agency.objects.none(),
                                           required=False, widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}))
    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("Reminders"), choices=REMINDER_CHOICES, coerce=int, required=False,
        initial=[3 * 24 * 60, 24 * 60, 120], widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("organiser", "co_organiser", "invited_agencies"):
            self.fields[name].queryset = agencies


class StageField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, stage):
        return f"{stage.election.code}: {stage.name}"


class MeetingForm(_Scheduling):
    stages = StageField(label=_("Stages evaluated"), required=False,
                        queryset=ElectionStage.objects.select_related("election")
                        .order_by("election__code", "starts_on", "code"),
                        widget=forms.SelectMultiple(attrs={**SELECT, "size": 5}))
    starts_at = forms.DateTimeField(label=_("Starts (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Ends (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    field_order = ["title", "kind", "starts_at", "ends_at", "place", "online_link", "organiser", "co_organiser",
                   "invited_agencies", "stages", "reminder_offsets", "description"]


class SeriesForm(_Scheduling):
    first_start = forms.DateTimeField(label=_("First meeting starts (WITA)"), input_formats=LOCAL_FORMATS,
                                      widget=LOCAL)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=24 * 60,
                                          initial=120, widget=forms.NumberInput(attrs=TEXT))
    rrule = forms.CharField(label=_("Recurrence rule (RFC 5545)"), max_length=300, initial="FREQ=MONTHLY;BYDAY=1MO",
                            widget=forms.TextInput(attrs=TEXT),
                            help_text=_("For example FREQ=MONTHLY;BYDAY=1MO (the first Monday of each month)."))
    until = forms.DateField(label=_("Last date"), required=False,
                            widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"))

    field_order = ["title", "kind", "rrule", "first_start", "duration_minutes", "until", "place", "online_link",
                   "organiser", "co_organiser", "invited_agencies", "reminder_offsets"]


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class PostponeForm(ReasonForm):
    starts_at = forms.DateTimeField(label=_("New start (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("New end (WITA)"), input_formats=LOCAL_FORMATS, widget=LOCAL)

    field_order = ["starts_at", "ends_at", "reason"]


class AttendanceRowForm(Form):
    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False,
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    name = forms.CharField(label=_("Name"), max_length=160, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    position = forms.CharField(label=_("Position"), max_length=160, required=False,
                               widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    present = forms.BooleanField(label=_("Present"), required=False, initial=True)

    def __init__(self, *args, agencies=None, agency_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = agencies if agencies is not None else Agency.objects.none()
        if agency_choices is not None:
            # Read once for the whole formset, not once per row.
            field.choices = agency_choices


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=3, max_num=200, absolute_max=200)


class AgendaItemForm(Form):
    title = forms.CharField(label=_("Item"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, required=False,
                                          widget=forms.NumberInput(attrs=TEXT))
    presenter = forms.CharField(label=_("Presenter"), max_length=120, required=False,
                                widget=forms.TextInput(attrs=TEXT))
    parent = forms.TypedChoiceField(label=_("Under"), coerce=int, required=False, empty_value=None,
                                    widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(a main item)")), *((item.pk, item.title) for item in parents)]


class ActionItemForm(Form):
    title = forms.CharField(label=_("Follow-up"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    owner_agency = AgencyChoiceField(label=_("Owner agency"), queryset=Agency.objects.none(),
                                     widget=forms.Select(attrs=SELECT))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class ActionMoveForm(Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices,
                                  widget=forms.Select(attrs=SELECT))
    reason = forms.CharField(label=_("Reason (to drop it)"), max_length=500, required=False,
                             widget=forms.TextInput(attrs=TEXT))


class ProgressForm(Form):
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
