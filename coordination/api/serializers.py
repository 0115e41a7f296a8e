from rest_framework import serializers
from rest_framework.fields import Field

from coordination.models import Agency, ApiToken, Election, PollingStation, Region


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent_code", "latitude", "longitude"]


class RegionDetailSerializer(RegionSerializer):
    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "boundary"]


class PlainRowsMixin:
    """Renders rows exactly as DRF does, for long read-only lists of plain values.

    A ModelSerializer builds its fields from the model on every request, and DRF reads
    each value through a helper that checks every step of a dotted source for a mapping
    and a callable: on the TPS list that cost more than the values themselves. Here the
    fields are built once per class, each value is read with ``getattr`` along its source
    and rendered by its own field's ``to_representation``, so the output is DRF's. Only
    fields whose rendering does not depend on the request take this path (PLAIN_FIELDS,
    with DRF's own attribute lookup); a serializer with any other field is rendered by
    DRF, and so is a row where a dotted source runs into None.
    """

    PLAIN_FIELDS = (serializers.BigIntegerField, serializers.BooleanField, serializers.CharField,
                    serializers.ChoiceField, serializers.DecimalField, serializers.IntegerField,
                    serializers.SlugRelatedField)

    @classmethod
    def _plain_plan(cls) -> list | None:
        if "_plan" not in cls.__dict__:
            plan: list | None = []
            for field in cls().fields.values():
                if field.write_only:
                    continue
                own_lookup = type(field).get_attribute not in (Field.get_attribute,
                                                                serializers.RelatedField.get_attribute)
                if type(field) not in cls.PLAIN_FIELDS or own_lookup:
                    plan = None
                    break
                plan.append((field.field_name, tuple(field.source_attrs), field.to_representation))
            cls._plan = plan
        return cls._plan

    def to_representation(self, instance):
        plan = self._plain_plan()
        if plan is None:
            return super().to_representation(instance)
        row = {}
        for name, source, represent in plan:
            value = instance
            for attr in source:
                if value is None:  # DRF skips or nulls such a field: let it decide
                    return super().to_representation(instance)
                value = getattr(value, attr)
            row[name] = None if value is None else represent(value)
        return row


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


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
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
