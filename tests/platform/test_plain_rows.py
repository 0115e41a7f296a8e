"""Long read-only lists render exactly what DRF renders, whether the page is read as model
instances or as values (PlainRowsMixin, KeysFirstPaginator, KeysetPaginator)."""

import copy
from decimal import Decimal
from unittest import mock

import pytest
from rest_framework import serializers

from coordination.api.serializers import PollingStationSerializer, RegionSerializer
from coordination.models import PollingStation, Region
from kpu_polda.base.drf import KeysFirstPaginator
from kpu_polda.base.serializers import PlainRowsMixin
from tests.factories import PollingStationFactory

# The reference: the same declared fields and Meta, rendered by DRF alone (no mixin).
DrfPollingStationSerializer = type("DrfPollingStationSerializer", (serializers.ModelSerializer,), {
    **copy.deepcopy(PollingStationSerializer._declared_fields), "Meta": PollingStationSerializer.Meta})


@pytest.fixture
def many_stations(tree, election):
    rows = []
    for number, village in enumerate(["sam_kel", "sam_kel2", "sam_kel3", "bpn_kel"] * 3, start=1):
        rows.append(PollingStationFactory(election=election, village=tree[village], number=number,
                                          latitude=Decimal("-0.501234") if number % 2 else None,
                                          longitude=Decimal("117.123456") if number % 2 else None,
                                          travel_minutes=number if number % 3 else None))
    return rows


def _reference(ids):
    stations = PollingStation.objects.select_related("election", "village__parent__parent").in_bulk(ids)
    return [dict(DrfPollingStationSerializer(stations[i]).data) for i in ids]


def test_the_tps_list_renders_as_drf_does_from_values(many_stations, personas, api_for):
    client = api_for(personas["province_staff"])
    pages, url = [], "/api/v1/polling-stations/?page_size=5"
    # Region instances are never built: each page (read by cursor) is read as values.
    with mock.patch.object(Region, "from_db", side_effect=AssertionError("a Region instance was built")):
        while url is not None:
            response = client.get(url)
            assert response.status_code == 200
            pages.extend(response.json()["results"])
            url = response.json()["next"]
    assert len(pages) == 12
    assert pages == _reference([row["id"] for row in pages])
    assert [(r["village_code"], r["number"]) for r in pages] == sorted((r["village_code"], r["number"]) for r in pages)


@pytest.mark.parametrize("deep", [False, True])
def test_numbered_pages_of_values_read_the_same_rows(many_stations, monkeypatch, deep):
    """KeysFirstPaginator, for the lists still paged by number, with the TPS rows."""
    if deep:  # read keys first from the second page on
        monkeypatch.setattr(KeysFirstPaginator, "deep", 5)
    ordered = PollingStation.objects.select_related("election", "village__parent__parent").order_by(
        "village_code", "number", "election_id")
    paginator = KeysFirstPaginator(ordered, 5, values=PollingStationSerializer.value_lookups())
    with mock.patch.object(Region, "from_db", side_effect=AssertionError("a Region instance was built")):
        rows = [row for number in (1, 2, 3) for row in paginator.page(number).object_list]
    assert [row["id"] for row in rows] == list(ordered.values_list("pk", flat=True))
    assert [PollingStationSerializer().to_representation(row) for row in rows] == _reference(
        [row["id"] for row in rows])


def test_instance_rows_render_as_drf_does(many_stations):
    stations = PollingStation.objects.select_related("election", "village__parent__parent").order_by("pk")
    assert [dict(PollingStationSerializer(s).data) for s in stations] == _reference([s.pk for s in stations])


def test_values_rows_only_for_plain_non_null_paths(tree):
    assert PollingStationSerializer.value_lookups() is not None
    assert "village__parent__parent__code" in PollingStationSerializer.value_lookups()

    class NullableAtTheEnd(PollingStationSerializer):
        village_latitude = serializers.DecimalField(source="village.latitude", max_digits=9, decimal_places=6,
                                                    read_only=True)

        class Meta(PollingStationSerializer.Meta):
            fields = [*PollingStationSerializer.Meta.fields, "village_latitude"]

    assert NullableAtTheEnd.value_lookups() is None  # NULL there could not be told from a missing village

    class RegionRows(PlainRowsMixin, RegionSerializer):
        pass

    # A missing parent renders as DRF renders it: the field's default (None here).
    for code in ("64", "64.72"):
        region = Region.objects.get(code=code)
        values = Region.objects.filter(pk=region.pk).values(*RegionRows.value_lookups()).get()
        assert RegionRows().to_representation(values) == dict(RegionSerializer(region).data)
