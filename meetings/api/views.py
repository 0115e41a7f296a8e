"""Series, meetings and their steps, invitations, the attendance, the minutes and the
follow-ups.

Every write calls its service in meetings.services; the services raise Django's
ValidationError for bad input (a 400 with field errors), Conflict (409), PermissionDenied
(403) and OutOfScope (404), and the API's exception handler answers them, so views do
not catch. A step takes a bare reference to the row in the URL (``target_ref``) when its
service locks the row through the caller's scope itself."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kpu_polda.base.exceptions import Conflict, OutOfScope
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet, ScopedViewSet

from .. import policies, selectors, services
from ..filters import ActionItemFilter, InvitationFilter, MeetingFilter, MeetingSeriesFilter
from ..models import ActionItem, ActionProgress, AgendaItem, Attendance, Invitation, Meeting, MeetingSeries, Minutes
from .serializers import (
    ActionItemSerializer,
    ActionMoveSerializer,
    ActionProgressSerializer,
    AgendaItemSerializer,
    AttendanceRecordSerializer,
    AttendanceSerializer,
    InvitationReplySerializer,
    InvitationSerializer,
    MeetingCancelSerializer,
    MeetingInviteSerializer,
    MeetingPostponeSerializer,
    MeetingSerializer,
    MeetingSeriesSerializer,
    MinutesAmendSerializer,
    MinutesSerializer,
    MinutesStartSerializer,
    MinutesUpdateSerializer,
)


def example(name: str, value: dict) -> OpenApiExample:
    """A request body shown in the API docs."""
    return OpenApiExample(name, value=value, request_only=True)


SERIES_EXAMPLES = [example("The monthly KPU-Polda evaluation", {
    "title": "Rapat evaluasi bulanan KPU-Polda Kaltim", "kind": "evaluation",
    "rrule": "FREQ=MONTHLY;BYDAY=1MO;COUNT=12", "first_start": "2024-03-04T09:00:00+08:00", "duration_minutes": 120,
    "organiser": "kpu-kaltim", "co_organiser": "polda-kaltim", "place": "Aula KPU Provinsi Kalimantan Timur, Samarinda",
    "invited_agencies": ["kpu-kaltim", "polda-kaltim"], "reminder_offsets": [4320, 1440, 120]})]
MEETING_EXAMPLES = [example("A coordination meeting", {
    "title": "Rakor pengamanan logistik", "kind": "coordination", "starts_at": "2024-02-08T09:00:00+08:00",
    "ends_at": "2024-02-08T11:00:00+08:00", "organiser": "kpu-samarinda", "co_organiser": "polres-samarinda",
    "place": "Kantor KPU Kota Samarinda", "invited_agencies": ["polres-samarinda"], "notulis": "kpu.notulis"})]
MEETING_PATCH_EXAMPLES = [example("A new place and reminders", {
    "place": "Aula Polresta Samarinda", "reminder_offsets": [1440, 60]})]
POSTPONE_EXAMPLES = [example("Moved a week", {
    "starts_at": "2024-02-15T09:00:00+08:00", "ends_at": "2024-02-15T11:00:00+08:00",
    "reason": "Bertepatan dengan apel pengamanan"})]
MINUTES_EXAMPLES = [example("Discussions and an obstacle", {
    "chair_name": "Ketua KPU Provinsi", "decisions": "Distribusi logistik dikawal mulai H-7.",
    "entries": [{"topic": "Kesiapan logistik", "speaker": "KPU", "discussion": "Logistik 98% tiba di gudang."}],
    "obstacles": [{"description": "Jalan menuju Long Apari terputus",
                   "proposed_solution": "Distribusi lewat sungai dengan kawalan Polairud"}]})]
ATTENDANCE_EXAMPLES = [example("A member and a guest", {"rows": [
    {"agency": "polda-kaltim", "person": "polda.kabag", "position": "Kabag Ops", "present": True},
    {"agency": "kpu-kaltim", "name": "Siti Rahma", "position": "Kasubbag Logistik"}]})]
ACTION_EXAMPLES = [example("A follow-up for the police", {
    "meeting": 12, "title": "Petakan jalur distribusi rawan banjir", "owner_agency": "polda-kaltim",
    "due_on": "2024-02-20", "description": "Dengan BPBD"})]


def _no_body(request) -> None:
    """A step that takes no input refuses any field sent, as every input does."""
    if request.data:
        raise serializers.ValidationError({name: [_("Unknown field.")] for name in request.data})


def meetings_with_parts(user):
    """Meetings in the user's scope with what the answer nests: a fixed number of queries."""
    return selectors.meetings_for(user).select_related("chair", "notulis").prefetch_related(
        "stages",
        Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "id")),
        Prefetch("invitations", queryset=Invitation.objects.select_related("agency", "person")
                 .order_by("agency__name", "id")),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner_agency", "owner")
                 .order_by("due_on", "id")),
    )


@extend_schema_view(
    create=extend_schema(examples=SERIES_EXAMPLES, description=(
        "Create a series and its meetings up to `horizon_days` ahead (400 `rrule` for a rule that never ends or "
        "makes more than 120 meetings).")),
)
class MeetingSeriesViewSet(ScopedViewSet):
    """Recurring meetings (the monthly KPU-Polda evaluation) in the caller's region."""

    queryset = MeetingSeries.objects.all()
    scope = staticmethod(policies.scope_series)
    serializer_class = MeetingSeriesSerializer
    filterset_class = MeetingSeriesFilter
    create_service = staticmethod(services.series_create)

    def get_queryset(self):
        rows = MeetingSeries.objects.select_related("organiser", "co_organiser", "created_by")
        return policies.scope_series(rows.prefetch_related("invited_agencies"), self.request.user) \
            .order_by("first_start", "id")


@extend_schema_view(
    create=extend_schema(examples=MEETING_EXAMPLES),
    partial_update=extend_schema(examples=MEETING_PATCH_EXAMPLES),
    list=extend_schema(description="Meetings the caller may see (their region's, and those they are invited to), "
                                   "by start."),
)
class MeetingViewSet(ScopedViewSet):
    """Meetings: scheduled one-off or by a series, moved along by the step endpoints,
    with their agenda, invitations, attendance, minutes and follow-ups."""

    queryset = Meeting.objects.all()
    scope = staticmethod(policies.scope_meetings)
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    update_instance_name = "meeting"

    @classmethod
    def offers(cls, action):
        # The attendance's PUT puts "put" among the viewset's methods: the meeting itself
        # is still changed with PATCH only (405, and absent from the schema).
        return action != "update" and super().offers(action)

    def get_queryset(self):
        return meetings_with_parts(self.request.user).order_by("starts_at", "id")

    def _answer(self, meeting, code=status.HTTP_200_OK):
        return Response(MeetingSerializer(self.reread(meeting), context=self.get_serializer_context()).data,
                        status=code)

    # --- the steps ---------------------------------------------------------------------

    @extend_schema(request=MeetingPostponeSerializer, responses=MeetingSerializer, examples=POSTPONE_EXAMPLES)
    @action(detail=True, methods=["post"], serializer_class=MeetingPostponeSerializer, filter_backends=[])
    def postpone(self, request, pk=None):
        """Move a meeting still to come to a new time, with a reason: its reminders are
        planned anew and the invitees told (409 for a meeting held or cancelled)."""
        form = MeetingPostponeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.meeting_postpone(actor=request.user, meeting=self.target_ref(),
                                                      **form.validated_data))

    @extend_schema(request=MeetingCancelSerializer, responses=MeetingSerializer,
                   examples=[example("Merged", {"reason": "Digabung dengan rapat gabungan Polda"})])
    @action(detail=True, methods=["post"], serializer_class=MeetingCancelSerializer, filter_backends=[])
    def cancel(self, request, pk=None):
        """Cancel a meeting still to come, with a reason; the invitees are told."""
        form = MeetingCancelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.meeting_cancel(actor=request.user, meeting=self.target_ref(),
                                                    **form.validated_data))

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def hold(self, request, pk=None):
        """Record that the meeting took place (409 `not_started` before its start)."""
        _no_body(request)
        return self._answer(services.meeting_hold(actor=request.user, meeting=self.target_ref()))

    @extend_schema(responses=AgendaItemSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=AgendaItemSerializer, filter_backends=[])
    def agenda(self, request, pk=None):
        """The agenda, in order: items by hand and those carried over (open follow-ups of
        earlier meetings of the series, risks whose level changed)."""
        meeting = self.get_target()
        page = self.paginate_queryset(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
        return self.get_paginated_response(AgendaItemSerializer(page, many=True).data)

    @extend_schema(request=MeetingInviteSerializer, responses={201: InvitationSerializer},
                   examples=[example("An agency", {"agency": "bawaslu-kaltim"}),
                             example("A named person", {"agency": "polda-kaltim", "person": "polda.kabag"})])
    @action(detail=True, methods=["post"], serializer_class=MeetingInviteSerializer, filter_backends=[])
    def invite(self, request, pk=None):
        """Invite an agency, or a named person of it (409 `already_invited`)."""
        form = MeetingInviteSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        invitation = services.invitation_add(actor=request.user, meeting=self.target_ref(), **form.validated_data)
        row = Invitation.objects.select_related("agency", "person").get(pk=invitation.pk)
        return Response(InvitationSerializer(row).data, status=status.HTTP_201_CREATED)

    # --- attendance ----------------------------------------------------------------------

    def _attendance_page(self, meeting):
        rows = Attendance.objects.filter(meeting=meeting).select_related("agency", "person")
        page = self.paginate_queryset(rows.order_by("agency__name", "name", "id"))
        return self.get_paginated_response(AttendanceSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=AttendanceSerializer(many=True))
    @extend_schema(methods=["PUT"], request=AttendanceRecordSerializer, responses=AttendanceSerializer(many=True),
                   examples=ATTENDANCE_EXAMPLES)
    @action(detail=True, methods=["get", "put"], serializer_class=AttendanceRecordSerializer, filter_backends=[])
    def attendance(self, request, pk=None):
        """Who was there (GET), or the whole attendance recorded anew (PUT, the notulis or
        an organiser, once the meeting has started); PUT answers the list as GET does."""
        if request.method == "GET":
            return self._attendance_page(self.get_target())
        form = AttendanceRecordSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        meeting = self.target_ref()
        services.attendance_record(actor=request.user, meeting=meeting, rows=form.validated_data["rows"])
        return self._attendance_page(meeting)

    # --- minutes ------------------------------------------------------------------------

    def _minutes(self):
        """The meeting in the URL (404 outside the scope) and a reference to its minutes
        (409 ``no_minutes`` when none were started)."""
        meeting = self.get_target()
        pk = Minutes.objects.filter(meeting=meeting).values_list("pk", flat=True).first()
        if pk is None:
            raise Conflict(_("Start the minutes first."), code="no_minutes")
        return meeting, Minutes(pk=pk)

    @staticmethod
    def _minutes_answer(meeting, code=status.HTTP_200_OK):
        return Response(MinutesSerializer(selectors.minutes_of(meeting)).data, status=code)

    @extend_schema(methods=["GET"], responses=MinutesSerializer)
    @extend_schema(methods=["POST"], request=MinutesStartSerializer, responses={201: MinutesSerializer})
    @extend_schema(methods=["PATCH"], request=MinutesUpdateSerializer, responses=MinutesSerializer,
                   examples=MINUTES_EXAMPLES)
    @action(detail=True, methods=["get", "post", "patch"], serializer_class=MinutesUpdateSerializer,
            filter_backends=[])
    def minutes(self, request, pk=None):
        """The minutes (GET; 404 before they are started), started for a held meeting
        (POST, the agenda copied in as topics; 409 `not_held`, `minutes_exist`), or
        edited until locked (PATCH; 409 `minutes_locked`)."""
        if request.method == "GET":
            meeting = self.get_target()
            minutes = selectors.minutes_of(meeting)
            if minutes is None:
                raise OutOfScope(_("%(what)s not found.") % {"what": _("Minutes")})
            return Response(MinutesSerializer(minutes).data)
        if request.method == "POST":
            form = MinutesStartSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            minutes = services.minutes_start(actor=request.user, meeting=self.target_ref(), **form.validated_data)
            return self._minutes_answer(minutes.meeting, status.HTTP_201_CREATED)
        meeting, minutes = self._minutes()
        form = MinutesUpdateSerializer(data=request.data, context={**self.get_serializer_context(),
                                                                   "meeting": meeting})
        form.is_valid(raise_exception=True)
        services.minutes_update(actor=request.user, minutes=minutes, **form.validated_data)
        return self._minutes_answer(meeting)

    @extend_schema(request=None, responses=MinutesSerializer)
    @action(detail=True, methods=["post"], url_path="minutes/submit", url_name="minutes-submit", filter_backends=[])
    def minutes_submit(self, request, pk=None):
        """The notulis hands the minutes to the approvers (400 without decisions)."""
        _no_body(request)
        meeting, minutes = self._minutes()
        services.minutes_submit(actor=request.user, minutes=minutes)
        return self._minutes_answer(meeting)

    @extend_schema(request=None, responses=MinutesSerializer)
    @action(detail=True, methods=["post"], url_path="minutes/approve", url_name="minutes-approve",
            filter_backends=[])
    def minutes_approve(self, request, pk=None):
        """Approve for the caller's party, KPU or the police; locked once both have (409
        `already_approved`, `not_submitted`, `minutes_locked`)."""
        _no_body(request)
        meeting, minutes = self._minutes()
        services.minutes_approve(actor=request.user, minutes=minutes)
        return self._minutes_answer(meeting)

    @extend_schema(request=MinutesAmendSerializer, responses=MinutesSerializer, examples=[
        example("A corrected decision", {"reason": "Salah ketik tanggal", "decisions": "Dikawal mulai H-5."})])
    @action(detail=True, methods=["post"], url_path="minutes/amend", url_name="minutes-amend",
            serializer_class=MinutesAmendSerializer, filter_backends=[])
    def minutes_amend(self, request, pk=None):
        """Correct locked minutes: each changed part is recorded with the reason (409
        `minutes_open` while they can still be edited)."""
        meeting, minutes = self._minutes()
        form = MinutesAmendSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.minutes_amend(actor=request.user, minutes=minutes, **form.validated_data)
        return self._minutes_answer(meeting)


class InvitationViewSet(ScopedReadOnlyViewSet):
    """Invitations to the meetings the caller may see, and the invitee's reply."""

    queryset = Invitation.objects.all()
    scope = staticmethod(policies.scope_meeting_rows)
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter

    def get_queryset(self):
        rows = Invitation.objects.select_related("agency", "person")
        return policies.scope_meeting_rows(rows, self.request.user).order_by("meeting_id", "agency__name", "id")

    @extend_schema(request=InvitationReplySerializer, responses=InvitationSerializer,
                   examples=[example("Attending", {"response": "attending", "note": "Hadir: Kabag Ops"})])
    @action(detail=True, methods=["post"], serializer_class=InvitationReplySerializer, filter_backends=[])
    def reply(self, request, pk=None):
        """The invitee's reply (or, for an agency's invitation, a member's) while the
        meeting is still to come (409 `replies_closed`)."""
        form = InvitationReplySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        invitation = services.invitation_reply(actor=request.user, invitation=self.target_ref(),
                                               **form.validated_data)
        return Response(InvitationSerializer(self.reread(invitation)).data)


@extend_schema_view(create=extend_schema(examples=ACTION_EXAMPLES, description=(
    "Record a follow-up agreed at a meeting (its organisers); it is put on the agenda of the series' next "
    "meeting and its owner reminded before and after the due date.")))
class ActionItemViewSet(ScopedViewSet):
    """Follow-ups (tindak lanjut) of the meetings the caller may see, and those their
    agency owns."""

    queryset = ActionItem.objects.all()
    scope = staticmethod(policies.scope_action_items)
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    create_service = staticmethod(services.action_item_create)

    def get_queryset(self):
        return selectors.action_items_for(self.request.user).order_by("due_on", "id")

    @extend_schema(request=ActionMoveSerializer, responses=ActionItemSerializer,
                   examples=[example("Done", {"to_status": "done"}),
                             example("Dropped", {"to_status": "dropped", "reason": "Digabung dengan butir 3"})])
    @action(detail=True, methods=["post"], serializer_class=ActionMoveSerializer, filter_backends=[])
    def move(self, request, pk=None):
        """Move the follow-up (open, in_progress, done, dropped with a reason; 409 for a
        move the workflow does not allow). Closing it takes it off the agendas to come."""
        form = ActionMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        action_item = services.action_item_move(actor=request.user, action=self.target_ref(), **form.validated_data)
        return Response(ActionItemSerializer(self.reread(action_item), context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], responses=ActionProgressSerializer(many=True))
    @extend_schema(methods=["POST"], request=ActionProgressSerializer, responses={201: ActionProgressSerializer},
                   examples=[example("A note", {"note": "Jalur Samarinda-Kutai Barat sudah dipetakan."})])
    @action(detail=True, methods=["get", "post"], serializer_class=ActionProgressSerializer, filter_backends=[])
    def progress(self, request, pk=None):
        """The progress notes (GET), or a new one (POST, the owner agency and the
        meeting's organisers)."""
        if request.method == "GET":
            rows = ActionProgress.objects.filter(action=self.get_target()).select_related("author")
            page = self.paginate_queryset(rows.order_by("written_at", "id"))
            return self.get_paginated_response(ActionProgressSerializer(page, many=True).data)
        form = ActionProgressSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        note = services.action_progress_add(actor=request.user, action=self.target_ref(), **form.validated_data)
        row = ActionProgress.objects.select_related("author").get(pk=note.pk)
        return Response(ActionProgressSerializer(row).data, status=status.HTTP_201_CREATED)
