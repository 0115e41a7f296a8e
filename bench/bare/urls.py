from django.urls import path
from rest_framework import generics, serializers

from .models import BarePollingStation, BareRow


class RowSerializer(serializers.ModelSerializer):
    class Meta:
        model = BareRow
        fields = "__all__"


class PollingStationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BarePollingStation
        fields = "__all__"


class RowCreate(generics.CreateAPIView):
    serializer_class = RowSerializer


class PollingStationList(generics.ListAPIView):
    queryset = BarePollingStation.objects.order_by("id")
    serializer_class = PollingStationSerializer


urlpatterns = [
    path("rows/", RowCreate.as_view()),
    path("polling-stations/", PollingStationList.as_view()),
]
