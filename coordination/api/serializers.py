from rest_framework import serializers

from coordination.models import Agency, ApiToken, Election, PollingStation, Region
from kpu_polda.base.serializers import InputSerializer, PlainRowsMixin


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent_code", "latitude", "longitude"]


class RegionDetailSerializer(RegionSerializer):
    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "boundary"]


class PollingStationSerializer(PlainRowsMixin, serializers.ModelSerializer):
    election = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_code = serializers.CharField(read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    district_code = serializers.CharField(source="village.parent.code", read_only=True)
    district_name = serializers.CharField(source="village.parent.name", read_only=True)
    regency_code = serializers.CharField(source="village.parent.parent.code", read_only=True)

    # The columns these fields read, for the list's queryset (.only(*COLUMNS)): not the
    # regions' outlines (up to 30 kB of GeoJSON each), nor anything else of theirs.
    COLUMNS = ("election__code", "village_code", "village__name", "village__parent__code", "village__parent__name",
               "village__parent__parent__code", "number", "address", "voters", "latitude", "longitude",
               "is_special_location", "access_mode", "travel_minutes", "is_remote")

    class Meta:
        model = PollingStation
        fields = ["id", "election", "village_code", "village_name", "district_code", "district_name",
                  "regency_code", "number", "address", "voters", "latitude", "longitude",
                  "is_special_location", "access_mode", "travel_minutes", "is_remote"]


class PollingStationImportSerializer(serializers.Serializer):
    election = serializers.SlugRelatedField(slug_field="code", queryset=Election.objects.all())
    file = serializers.FileField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class AgencySerializer(serializers.ModelSerializer):
    jurisdiction_code = serializers.CharField(source="jurisdiction.code", read_only=True)
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)
    counterpart_code = serializers.CharField(source="counterpart.code", default=None, read_only=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "jurisdiction_code", "parent_code", "counterpart_code",
                  "address", "phone", "email"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()
    agency = AgencySerializer(allow_null=True)
    scope_code = serializers.CharField(allow_null=True)


class TokenRequestSerializer(InputSerializer):
    username = serializers.CharField(max_length=150)  # User.username
    # Bounded: every password offered is hashed, and a megabyte one would be hashed too.
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    name = serializers.CharField(max_length=80, required=False, default="api")
    expires_in_days = serializers.IntegerField(min_value=1, max_value=366, required=False, allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]


class IssuedTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True)

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
