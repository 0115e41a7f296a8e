"""The secretariat's admin for meetings, each row with its history. Lists go through
meetings.policies, as pages and API do; nothing is saved around a service: meetings through
meeting_create / meeting_update, invitations through invitation_add, progress notes through
action_progress_add, minutes through minutes_update until locked. Status, approvals, locks and
the schedule version are never fields. Series, agenda, follow-ups and attendance: read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies as ground
from coordination.admin.base import ReadOnly, ScopedAdmin, ScopedInline, ServiceSaves, StatusChangeInline, never
from coordination.models import Agency
from kpu_polda.base.exceptions import Conflict
from kpu_polda.base.templatetags.moments import moment_text

from . import policies, services
from .choices import DEFAULT_REMINDER_OFFSETS, UPCOMING_STATUSES
from .models.actions import ActionItem, ActionProgress, ActionStatusChange
from .models.meetings import AgendaItem, Invitation, Meeting, MeetingSeries, MeetingStatusChange
from .models.minutes import Amendment, Attendance, Minutes, MinutesEntry, Obstacle
from .services.minutes import MINUTES_TEXT_FIELDS
from .services.schedule import MEETING_EDITABLE, meeting_times_check, reminder_offsets_check


def _people(qs, user):
    """People of the agencies the user may name (its region's and those above it)."""
    return qs.filter(agency__in=ground.scope_agencies(Agency.objects.all(), user))


def _new_rows(formset) -> list:
    """The forms of rows added in this POST (an untouched extra form is not one)."""
    return [row for row in formset.forms if row.instance.pk is None and row.has_changed()
            and row.cleaned_data and not row.cleaned_data.get("DELETE")]


class ThroughServices(ServiceSaves):
    """ServiceSaves whose inlines add rows through services too: ``adds_through`` maps an
    inline's model to the service adding a row: (actor, parent, the row's data) -> the row."""

    adds_through: dict = {}

    def save_related(self, request, form, formsets, change):
        # The services set the many-to-many fields and write the rows: no form.save_m2m().
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        # construct_change_message reads these; only the services write rows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        add = self.adds_through.get(formset.model)
        for row in _new_rows(formset) if add is not None else ():
            formset.new_objects.append(self._attempt(
                request, lambda row=row: add(request.user, form.instance, row.cleaned_data)))


class Rows:
    """An inline shown to whoever may use the admin (the parent's list is scoped already;
    Django's model permissions play no part, as for ScopedAdmin). It adds rows when
    ``adds``, changes and deletes them when ``changes``, each only while ``may_write``
    says so for the parent; ``related`` are fetched with the rows."""

    extra = 0
    adds = changes = can_delete = False
    related: tuple[str, ...] = ()

    def may_write(self, request, obj) -> bool:
        return False

    def has_view_permission(self, request, obj=None):
        return ground.can_use_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return self.adds and self.may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.changes and self.may_write(request, obj)

    has_delete_permission = has_change_permission

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows.select_related(*self.related) if self.related else rows


class AgendaItemInline(Rows, admin.TabularInline):
    """The agenda, as written on the meeting's page and carried over by the seeding."""

    model = AgendaItem
    fields = ["position", "title", "presenter", "duration_minutes", "source", "action_item", "risk"]
    readonly_fields = fields
    related = ("action_item", "risk")


class InvitationInline(ScopedInline, Rows, admin.TabularInline):
    """Invitations: added through invitation_add while the meeting is to come; replies are the invitees'."""

    model = Invitation
    fields = ["agency", "person", "response", "responded_at", "response_note"]
    readonly_fields = ["response", "responded_at", "response_note"]
    choice_scopes = {"agency": ground.scope_agencies, "person": _people}
    adds, related = True, ("agency", "person")

    def may_write(self, request, obj) -> bool:
        if obj is None or obj.pk is None:
            return ground.can_use_admin(request.user)  # a meeting being scheduled here
        return obj.status in UPCOMING_STATUSES and ground.can_change_in_admin(request.user, obj.area_code)


class MeetingStatusChangeInline(Rows, StatusChangeInline, admin.TabularInline):
    model = MeetingStatusChange
    related = ("changed_by",)


class MeetingAdminForm(forms.ModelForm):
    """The service's input checks, made here too: a mistake is shown by its field, the input kept."""

    def clean(self):
        cleaned = super().clean()
        if "starts_at" in self.fields:
            meeting_times_check(cleaned.get("starts_at"), cleaned.get("ends_at"))
        if "reminder_offsets" in self.fields and "reminder_offsets" in cleaned:
            cleaned["reminder_offsets"] = reminder_offsets_check(cleaned["reminder_offsets"])
        if "place" in self.fields and not (cleaned.get("place", "") + cleaned.get("online_link", "")).strip():
            raise ValidationError({"place": [_("Say where the meeting is held, or give its online link.")]})
        return cleaned


CREATE_FIELDS = ["title", "kind", "starts_at", "ends_at", "place", "online_link", "description", "organiser",
                 "co_organiser", "stages", "clause", "chair", "notulis", "reminder_offsets"]


@admin.register(Meeting)
class MeetingAdmin(ThroughServices, ScopedAdmin):
    """Meetings: scheduled through meeting_create, edited through meeting_update while they
    are to come; moved, cancelled and held on the meeting's page (with a reason, the
    reminders replanned), never here. Never deleted: cancelled with a reason, as
    invitations, minutes and clause evidence refer to it. Held or cancelled, a record."""

    scope = staticmethod(policies.scope_meetings)
    code_of = staticmethod(lambda meeting: meeting.area_code)
    choice_scopes = {"organiser": ground.scope_agencies_below, "co_organiser": ground.scope_agencies,
                     "stages": ground.scope_elections, "clause": ground.scope_clauses, "chair": _people,
                     "notulis": _people}
    workflow_fields = ("status", "schedule_version", "held_at")
    form = MeetingAdminForm
    list_display = ["title", "starts", "status", "organiser", "area_code", "series"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "place", "area_code"]
    list_select_related = ["organiser", "series"]
    raw_id_fields = ["clause"]
    fields = ["title", "kind", "series", "status", "starts_at", "ends_at", "place", "online_link", "description",
              "organiser", "co_organiser", "area", "stages", "clause", "chair", "notulis", "reminder_offsets",
              "schedule_version", "held_at"]
    inlines = [AgendaItemInline, InvitationInline, MeetingStatusChangeInline]
    adds_through = {Invitation: lambda actor, meeting, row: services.invitation_add(
        actor=actor, meeting=meeting, agency=row["agency"], person=row.get("person"))}

    @admin.display(description=gettext_lazy("starts"), ordering="starts_at")
    def starts(self, meeting):
        return moment_text(meeting.starts_at, with_relative=False)

    def get_fields(self, request, obj=None):
        return CREATE_FIELDS if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {*MEETING_EDITABLE, "stages"} if obj.status in UPCOMING_STATUSES else set()
        return [*super().get_readonly_fields(request, obj), *(name for name in self.fields if name not in editable)]

    def get_changeform_initial_data(self, request):
        return {"reminder_offsets": DEFAULT_REMINDER_OFFSETS, **super().get_changeform_initial_data(request)}

    has_delete_permission = never

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.status in UPCOMING_STATUSES) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in MEETING_EDITABLE}
            stages = data["stages"] if "stages" in form.changed_data else None
            if changes or stages is not None:
                self._attempt(request, lambda: services.meeting_update(actor=request.user, meeting=obj,
                                                                       stages=stages, **changes))
            return
        values = {name: data[name] for name in CREATE_FIELDS if name in data}
        obj.pk = self._attempt(request, lambda: services.meeting_create(actor=request.user, **values)).pk
        obj.refresh_from_db()
        obj._state.adding = False


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ReadOnly, ScopedAdmin):
    """Series: created on the meetings pages (series_create plans their meetings); there is
    no service to change one, so read-only here, with its history."""

    scope = staticmethod(policies.scope_series)
    code_of = staticmethod(lambda series: series.area_code)
    list_display = ["title", "kind", "rrule", "first_start", "organiser", "area_code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["title", "area_code"]
    list_select_related = ["organiser"]


class ActionProgressInline(Rows, admin.TabularInline):
    """Progress notes: a new one through action_progress_add; written ones stay."""

    model = ActionProgress
    fields = ["written_at", "author", "note"]
    readonly_fields = ["written_at", "author"]
    adds, related = True, ("author",)

    def may_write(self, request, obj) -> bool:
        return obj is not None and ground.can_change_in_admin(request.user, obj.area_code)


class ActionStatusChangeInline(Rows, StatusChangeInline, admin.TabularInline):
    model = ActionStatusChange
    related = ("changed_by",)


@admin.register(ActionItem)
class ActionItemAdmin(ThroughServices, ScopedAdmin):
    """Follow-ups: agreed and moved (dropped with a reason, never deleted) on the meeting's
    page; here their record, with progress notes added through the service."""

    scope = staticmethod(policies.scope_action_items)
    code_of = staticmethod(lambda action: action.area_code)
    workflow_fields = ("status",)
    list_display = ["title", "meeting", "owner_agency", "owner", "due_on", "status", "area_code"]
    list_filter = ["status"]
    search_fields = ["title", "description", "area_code"]
    list_select_related = ["meeting", "owner_agency", "owner"]
    fields = ["meeting", "title", "description", "obstacle", "owner_agency", "owner", "due_on", "status",
              "closed_at", "area_code"]
    readonly_fields = fields
    inlines = [ActionProgressInline, ActionStatusChangeInline]
    adds_through = {ActionProgress: lambda actor, action, row: services.action_progress_add(
        actor=actor, action=action, note=row["note"])}

    has_add_permission = has_delete_permission = never

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only: only the progress inline writes


class MinutesPart(Rows):
    """Discussions and obstacles: written with the minutes (one minutes_update) until locked."""

    adds = changes = can_delete = True

    def may_write(self, request, obj) -> bool:
        return obj is not None and not obj.is_locked and ground.can_change_in_admin(request.user, obj.area_code)


class MinutesEntryInline(MinutesPart, admin.StackedInline):
    model = MinutesEntry
    fields = ["topic", "speaker", "discussion", "agenda_item"]
    readonly_fields = ["agenda_item"]
    related = ("agenda_item",)


class ObstacleInline(MinutesPart, admin.TabularInline):
    model = Obstacle
    fields = ["description", "proposed_solution"]


class AmendmentInline(Rows, admin.TabularInline):
    """Corrections of the locked minutes, made on the minutes page with their reason."""

    model = Amendment
    fields = ["made_at", "made_by", "field", "before", "after", "reason"]
    readonly_fields = fields
    related = ("made_by",)


def _kept(formset) -> list:
    return [row for row in formset.forms if not (row.cleaned_data or {}).get("DELETE")
            and (row.instance.pk is not None or row.has_changed())]


@admin.register(Minutes)
class MinutesAdmin(ThroughServices, ScopedAdmin):
    """Notulen: started on the minutes page of a held meeting, edited here through
    minutes_update until both parties approved (an approval given is withdrawn, as on the
    page); locked, read-only: corrected by an amendment on the minutes page. Never deleted."""

    scope = staticmethod(lambda qs, user: qs.filter(meeting__in=policies.scope_meetings(Meeting.objects.all(), user)))
    code_of = staticmethod(lambda minutes: minutes.area_code)
    list_display = ["meeting", "chair_name", "notulis", "kpu_approved_by", "police_approved_by", "locked_at"]
    list_filter = [("locked_at", admin.EmptyFieldListFilter)]
    search_fields = ["meeting__title", "chair_name", "decisions"]
    list_select_related = ["meeting", "notulis", "kpu_approved_by", "police_approved_by"]
    fields = ["meeting", "chair_name", "notulis", "opening", "decisions", "closing", "submitted_at",
              "kpu_approved_by", "kpu_approved_at", "police_approved_by", "police_approved_at", "locked_at"]
    inlines = [MinutesEntryInline, ObstacleInline, AmendmentInline]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(n for n in self.fields if n not in MINUTES_TEXT_FIELDS)]

    has_add_permission = has_delete_permission = never

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_locked) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        pass  # saved with its discussions and obstacles in save_related, by one minutes_update

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        minutes, touched = form.instance, False
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in MINUTES_TEXT_FIELDS}
        for formset in (formset for formset in formsets if formset.has_changed()):
            if formset.model is MinutesEntry:
                values["entries"] = [{**row.cleaned_data, "agenda_item": row.instance.agenda_item_id}
                                     for row in _kept(formset)]
            if formset.model is Obstacle:
                standing = set(minutes.obstacles.filter(action_items__isnull=False).values_list("pk", flat=True))
                touched = any(row.instance.pk in standing and (row.has_changed() or row.cleaned_data.get("DELETE"))
                              for row in formset.forms)
                # The service keeps those itself and writes the list given anew.
                values["obstacles"] = [row.cleaned_data for row in _kept(formset) if row.instance.pk not in standing]

        def update():
            if touched:
                raise Conflict(_("An obstacle a follow-up stands on stays as it is."))
            return services.minutes_update(actor=request.user, minutes=minutes, **values)

        if values:
            self._attempt(request, update)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnly, ScopedAdmin):
    """The daftar hadir, recorded on the meeting's attendance page (attendance_record
    replaces a meeting's whole list): read-only here, with its history."""

    scope = staticmethod(policies.scope_meeting_rows)
    code_of = staticmethod(lambda row: row.meeting.area_code)
    list_display = ["name", "position", "agency", "present", "meeting"]
    list_filter = ["present"]
    search_fields = ["name", "position", "meeting__title"]
    list_select_related = ["meeting", "agency"]
