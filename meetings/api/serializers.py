"""The meetings API's shapes: series, meetings with their agenda, invitations and
follow-ups, the attendance, the minutes, and the small input of each step.

Serializers check the input's shape only; the services decide (and raise the field
errors the exception handler answers as 400). Every input refuses a field it does not
take, so a misspelt field is an error rather than silently dropped."""


from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coordination import policies as ground
from coordination.models import Agency, Clause, ElectionStage, User
from kpu_polda.base import clock
from kpu_polda.base.serializers import (
    NOT_A_LIST,
    ExactObjectInput,
    FieldsBuiltOnceMixin,
    InputModelSerializer,
    InputSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)

from .. import policies
from ..choices import OPEN_ACTION_STATUSES, ActionStatus, MeetingKind, Response
from ..models.actions import ActionItem, ActionProgress
from ..models.meetings import AgendaItem, Invitation, Meeting, MeetingSeries
from ..models.minutes import Amendment, Attendance, Minutes, MinutesEntry, Obstacle

TEXTAREA = {"base_template": "textarea.html"}
LONG_TEXT = 20_000


def _by_slug(slug_field, queryset, scope, unknown, **kwargs):
    return ScopedSlugRelatedField(slug_field=slug_field, queryset=queryset, scope=scope,
                                  error_messages={"does_not_exist": unknown, "invalid": unknown}, **kwargs)


def agency_field(**kwargs):
    """An agency by its code (any agency: the service decides who may name it)."""
    return _by_slug("code", Agency.objects.all(), ground.scope_agencies, _("Unknown agency."), **kwargs)


def person_field(**kwargs):
    """An active person by their username."""
    return _by_slug("username", User.objects.filter(is_active=True), ground.scope_users, _("Unknown person."),
                    **kwargs)


class InScopePrimaryKeyRelatedField(ScopedPrimaryKeyRelatedField):
    """A row by id, looked up among those the caller may see: one outside the caller's
    scope is refused exactly as a missing one, so its existence shows nowhere."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        queryset = super().get_queryset()
        return self.scope(queryset, user) if user is not None else queryset.none()


# Documented by a pattern, not an enum: a second name for a choice set already named by
# another component (the meeting's kind, the follow-up's status) is a schema warning.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(MeetingKind.values)})$"})
class SeriesKindField(serializers.ChoiceField):
    pass


@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(ActionStatus.values)})$"})
class ActionStatusField(serializers.ChoiceField):
    pass


# --- reads nested in a meeting ---------------------------------------------------------


class AgendaItemSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """One item of the agenda, in order; carried-over items name their source (an open
    follow-up, a risk whose level changed)."""

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "parent", "position", "title", "duration_minutes", "presenter", "source",
                  "action_item", "risk"]
        read_only_fields = fields


class InvitationSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """An agency, or a named person of it, invited to a meeting, and the last reply."""

    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "meeting", "agency", "person", "response", "responded_at", "response_note", "created_at"]
        read_only_fields = fields


class ActionItemSerializer(ExactObjectInput, InputModelSerializer):
    """A follow-up agreed at a meeting: what, which agency owns it (and who), by when.
    Created by the meeting's organisers; moved with /move/, noted with /progress/."""

    meeting = InScopePrimaryKeyRelatedField(queryset=Meeting.objects.all(), scope=policies.scope_meetings,
                                            error_messages={"does_not_exist": _("Unknown meeting.")})
    owner_agency = agency_field()
    owner = person_field(required=False, allow_null=True)
    area = serializers.CharField(source="area_code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "title", "description", "owner_agency", "owner", "due_on", "status", "overdue",
                  "closed_at", "obstacle", "area", "created_at", "updated_at"]
        read_only_fields = ["status", "closed_at", "obstacle", "created_at", "updated_at"]

    def get_overdue(self, action) -> bool:
        return action.status in OPEN_ACTION_STATUSES and action.due_on < clock.today()


class MeetingSeriesSerializer(ExactObjectInput, InputModelSerializer):
    """A recurring meeting: an RFC 5545 rule (``FREQ=MONTHLY;BYDAY=1MO;COUNT=12``) from
    ``first_start`` (WITA), each lasting ``duration_minutes``. A rule without COUNT or
    UNTIL needs ``until``. Its meetings are created up to ``horizon_days`` ahead, each
    with the invitations and reminders; read them from /meetings/?series={id}."""

    kind = SeriesKindField(choices=MeetingKind.choices, required=False,
                           help_text="evaluation, coordination or ad_hoc (default evaluation)")
    organiser = agency_field()
    co_organiser = agency_field(required=False, allow_null=True)
    invited_agencies = agency_field(many=True, required=False)
    reminder_offsets = serializers.ListField(child=serializers.IntegerField(), required=False,
                                             help_text="Minutes before each meeting (default 3 days, 1 day, 2 hours).")
    area = serializers.CharField(source="area_code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MeetingSeries
        fields = ["id", "title", "kind", "rrule", "first_start", "until", "duration_minutes", "place", "online_link",
                  "organiser", "co_organiser", "area", "invited_agencies", "reminder_offsets", "horizon_days",
                  "active", "created_by", "created_at", "updated_at"]
        read_only_fields = ["active", "created_at", "updated_at"]


class MeetingSerializer(ExactObjectInput, InputModelSerializer):
    """A meeting: created one-off by its organisers (a series creates its own), changed
    with PATCH while still to come (what, where, who chairs and takes the minutes, the
    reminders; its time moves with /postpone/). Read with its agenda, invitations and
    follow-ups; status moves only through the step endpoints."""

    organiser = agency_field()
    co_organiser = agency_field(required=False, allow_null=True)
    stages = ScopedPrimaryKeyRelatedField(many=True, queryset=ElectionStage.objects.all(),
                                          scope=ground.scope_elections, required=False)
    clause = ScopedPrimaryKeyRelatedField(queryset=Clause.objects.all(), scope=ground.scope_clauses,
                                          required=False, allow_null=True)
    chair = person_field(required=False, allow_null=True)
    notulis = person_field(required=False, allow_null=True)
    reminder_offsets = serializers.ListField(child=serializers.IntegerField(), required=False,
                                             help_text="Minutes before the meeting (default 3 days, 1 day, 2 hours).")
    invited_agencies = agency_field(many=True, required=False, write_only=True)
    invited_people = person_field(many=True, required=False, write_only=True)
    area = serializers.CharField(source="area_code", read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    invitations = InvitationSerializer(many=True, read_only=True)
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "series", "title", "kind", "status", "starts_at", "ends_at", "place", "online_link",
                  "description", "organiser", "co_organiser", "area", "stages", "clause", "chair", "notulis",
                  "reminder_offsets", "schedule_version", "held_at", "invited_agencies", "invited_people",
                  "agenda", "invitations", "action_items", "created_at", "updated_at"]
        read_only_fields = ["series", "status", "schedule_version", "held_at", "created_at", "updated_at"]


# --- the steps' input ------------------------------------------------------------------


class MeetingPostponeSerializer(ExactObjectInput, InputSerializer):
    """The new time (in the future) and the reason; the invitees are told."""

    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000, style=TEXTAREA)


class MeetingCancelSerializer(ExactObjectInput, InputSerializer):
    reason = serializers.CharField(max_length=2000, style=TEXTAREA)


class MeetingInviteSerializer(ExactObjectInput, InputSerializer):
    """An agency, or a named person of it."""

    agency = agency_field()
    person = person_field(required=False, allow_null=True, default=None)


class InvitationReplySerializer(ExactObjectInput, InputSerializer):
    """The invitee's reply; the last one counts."""

    response = serializers.ChoiceField(choices=[(r.value, r.label) for r in Response if r != Response.PENDING])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AttendanceSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["id", "agency", "person", "name", "position", "present"]
        read_only_fields = fields


class AttendanceRowInputSerializer(ExactObjectInput, InputSerializer):
    """One person: of the system (``person``, the name read from the account) or written
    in by ``name`` (a guest without an account)."""

    agency = agency_field()
    person = person_field(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    position = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    present = serializers.BooleanField(required=False, default=True)


class AttendanceRecordSerializer(ExactObjectInput, InputSerializer):
    """The whole attendance: it replaces what was recorded."""

    rows = AttendanceRowInputSerializer(many=True, error_messages={"not_a_list": NOT_A_LIST})

    def validate_rows(self, value):
        return [dict(row) for row in value]


# --- minutes ---------------------------------------------------------------------------


class MinutesEntrySerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = MinutesEntry
        fields = ["id", "agenda_item", "position", "topic", "speaker", "discussion"]
        read_only_fields = fields


class ObstacleSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = Obstacle
        fields = ["id", "description", "proposed_solution", "stage", "region"]
        read_only_fields = fields


class AmendmentSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    made_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Amendment
        fields = ["id", "field", "before", "after", "reason", "made_by", "made_at"]
        read_only_fields = fields


class MinutesSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """The notulen: editable until one representative of KPU and one of the police have
    approved them, then locked (corrections are amendments with a reason)."""

    notulis = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kpu_approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    police_approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    is_locked = serializers.BooleanField(read_only=True)
    entries = MinutesEntrySerializer(many=True, read_only=True)
    obstacles = ObstacleSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = ["id", "meeting", "chair_name", "notulis", "opening", "decisions", "closing", "entries",
                  "obstacles", "submitted_at", "kpu_approved_by", "kpu_approved_at", "police_approved_by",
                  "police_approved_at", "locked_at", "is_locked", "amendments", "created_at", "updated_at"]
        read_only_fields = fields


class MinutesStartSerializer(ExactObjectInput, InputSerializer):
    chair_name = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")


class AgendaItemOfMeetingField(serializers.PrimaryKeyRelatedField):
    """An agenda item of the meeting whose minutes are written (``meeting`` in the context)."""

    def get_queryset(self):
        meeting = self.context.get("meeting")
        return AgendaItem.objects.filter(meeting=meeting) if meeting is not None else AgendaItem.objects.none()


class MinutesEntryInputSerializer(ExactObjectInput, InputSerializer):
    agenda_item = AgendaItemOfMeetingField(queryset=AgendaItem.objects.all(), required=False, allow_null=True,
                                           default=None, error_messages={"does_not_exist": _("Unknown agenda item.")})
    topic = serializers.CharField(max_length=300)
    speaker = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    discussion = serializers.CharField(max_length=LONG_TEXT, style=TEXTAREA)


class ObstacleInputSerializer(ExactObjectInput, InputSerializer):
    description = serializers.CharField(max_length=LONG_TEXT, style=TEXTAREA)
    proposed_solution = serializers.CharField(max_length=LONG_TEXT, style=TEXTAREA)


def _text():
    return serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, style=TEXTAREA)


class MinutesTextSerializer(ExactObjectInput, InputSerializer):
    """The minutes' own parts, each changed only when given."""

    chair_name = serializers.CharField(max_length=160, required=False)
    opening, decisions, closing = _text(), _text(), _text()


class MinutesUpdateSerializer(MinutesTextSerializer):
    """Minutes not yet locked: the parts given change; ``entries`` and ``obstacles``, when
    given, are each the whole new list. An approval already given is withdrawn (it was
    for another text)."""

    entries = MinutesEntryInputSerializer(many=True, required=False, error_messages={"not_a_list": NOT_A_LIST})
    obstacles = ObstacleInputSerializer(many=True, required=False, error_messages={"not_a_list": NOT_A_LIST})

    def validate_entries(self, value):
        return [{**row, "agenda_item": row["agenda_item"].pk if row["agenda_item"] else None} for row in value]

    def validate_obstacles(self, value):
        return [dict(row) for row in value]


class MinutesAmendSerializer(MinutesTextSerializer):
    """A correction of locked minutes: the reason, and each part that changes."""

    reason = serializers.CharField(max_length=2000, style=TEXTAREA)


# --- follow-ups ------------------------------------------------------------------------


class ActionMoveSerializer(ExactObjectInput, InputSerializer):
    """The follow-up's new status; dropping it needs a reason."""

    to_status = ActionStatusField(choices=ActionStatus.choices, help_text="open, in_progress, done or dropped")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", style=TEXTAREA)


class ActionProgressSerializer(ExactObjectInput, InputModelSerializer):
    """A dated note on how a follow-up is going."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ActionProgress
        fields = ["id", "action", "author", "written_at", "note"]
        read_only_fields = ["action", "written_at"]
