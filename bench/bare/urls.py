from django.urls import path
from rest_framework import generics, serializers

from .models import BareEvent, BarePollingStation, BareRow


def create_view(model):
    """A CreateAPIView over every field of ``model``: DRF's plainest insert."""
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,),
                      {"Meta": type("Meta", (), {"model": model, "fields": "__all__"})})
    return generics.CreateAPIView.as_view(serializer_class=serializer)


class PollingStationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BarePollingStation
        fields = "__all__"


class PollingStationList(generics.ListAPIView):
    queryset = BarePollingStation.objects.order_by("id")
    serializer_class = PollingStationSerializer


urlpatterns = [
    path("rows/", create_view(BareRow)),
    path("events/", create_view(BareEvent)),
    path("polling-stations/", PollingStationList.as_view()),
]
