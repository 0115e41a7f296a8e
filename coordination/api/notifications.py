"""API for the caller's own notifications: list them, mark one or all read, and choose
how each kind reaches them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from coordination import selectors, services
from coordination.choices import Delivery
from coordination.filters import NotificationFilter
from coordination.models import Notification
from coordination.selectors.notifications import notification_preferences_for
from coordination.services import preferences
from coordination.services.notifications import KINDS
from kpu_polda.base.serializers import ExactObjectInput, InputSerializer, harden
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet


class NotificationSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "language", "target_type", "target_id", "due_at",
                  "read_at"]

    def get_target_type(self, notification) -> str | None:
        """What the notification is about, as ``app_label.model`` (e.g. coordination.clause)."""
        kind = notification.target_type
        return f"{kind.app_label}.{kind.model}" if kind is not None else None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(ScopedReadOnlyViewSet):
    """The caller's notifications that are due, newest first (nobody sees another
    person's: their ids read as 404). Filter with ``unread=true`` and ``kind``."""

    queryset = Notification.objects.select_related("target_type").order_by("-due_at", "-id")
    scope = staticmethod(selectors.due_notifications)
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read (already read: unchanged)."""
        notification = services.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every due notification of the caller read; answers how many were marked."""
        return Response({"marked": services.notification_mark_all_read(actor=request.user)})


# --- the caller's delivery choices ------------------------------------------------------


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of notification (Notification.kind).")
    label = serializers.CharField(help_text="What the kind is, in the request's language.")
    delivery = serializers.ChoiceField(choices=Delivery.choices)


class PreferencesInput(ExactObjectInput, InputSerializer):
    """``{kind: delivery}`` for any of the registered kinds: one field per kind, built
    when the request comes (apps register kinds as they load). An unknown kind is an
    unknown field."""

    def get_fields(self):
        fields = super().get_fields()
        for kind in KINDS:
            fields[kind] = serializers.ChoiceField(choices=Delivery.choices, required=False)
            harden(fields[kind])
        return fields


# The body as the schema shows it: the kinds are known only when the app runs.
CHOICES_BODY = {"type": "object", "additionalProperties": {"type": "string", "enum": list(Delivery.values)},
                "example": {"meeting_reminder": "digest", "logistics.sla": "immediate"}}


class NotificationPreferencesView(APIView):
    """The caller's choice, per kind of notification, of how it reaches them: ``immediate``
    (an email at once), ``digest`` (in the daily digest at 07:00 WITA) or ``in_app`` (in
    the app only). Every kind shows, chosen or not (not chosen: immediate). Nobody reads
    or sets another person's."""

    def _answer(self, request):
        return Response(PreferenceSerializer(notification_preferences_for(request.user, KINDS), many=True).data)

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request):
        return self._answer(request)

    @extend_schema(request={"application/json": CHOICES_BODY}, responses=PreferenceSerializer(many=True))
    def patch(self, request):
        """Set the delivery of the kinds sent, ``{"meeting_reminder": "digest", ...}``; the
        others keep theirs. Unknown kinds and deliveries are 400, nothing saved."""
        form = PreferencesInput(data=request.data)
        form.is_valid(raise_exception=True)
        preferences.notification_preferences_set(actor=request.user, choices=form.validated_data)
        return self._answer(request)

    @extend_schema(request={"application/json": CHOICES_BODY}, responses=PreferenceSerializer(many=True))
    def put(self, request):
        """As PATCH: the kinds sent are set and the others keep theirs, so a client written
        before a kind was added never resets it by leaving it out."""
        return self.patch(request)
