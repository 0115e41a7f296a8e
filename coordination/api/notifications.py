"""API for the caller's own notifications: list them, mark one or all read."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coordination import selectors, services
from coordination.filters import NotificationFilter
from coordination.models import Notification
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
