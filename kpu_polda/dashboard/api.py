"""The "needs my action" inbox in the API: what the dashboard's inbox panel lists."""

from urllib.parse import urljoin

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .inbox import inbox_for


class ButtonSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="POST here (with a session, or the matching API action) to do it.")
    fields = serializers.DictField(child=serializers.CharField())


class ItemSerializer(serializers.Serializer):
    what = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page where it is done.")
    due = serializers.SerializerMethodField()
    overdue = serializers.BooleanField()
    button = ButtonSerializer(allow_null=True)

    def get_due(self, item) -> str | None:
        """When it is due (a date, or a moment in ISO 8601), if it has a date."""
        return item.due.isoformat() if item.due is not None else None


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    items = ItemSerializer(many=True)
    more = serializers.BooleanField(help_text="More wait than listed; list_url shows them all.")
    list_url = serializers.CharField()


class InboxSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    more = serializers.BooleanField()
    sections = SectionSerializer(many=True)


class InboxView(APIView):
    @extend_schema(responses=InboxSerializer)
    def get(self, request):
        """Everything waiting on the caller across the apps (escorts to accept or confirm,
        discrepancies, minutes to approve, follow-ups due, information to acknowledge,
        bookings to decide), each with the page where it is done. Empty sections are left out."""
        inbox = inbox_for(request.user)
        data = InboxSerializer(inbox).data
        for section in data["sections"]:
            for item in section["items"]:
                item["url"] = urljoin(request.build_absolute_uri("/"), item["url"])
        return Response(data)
