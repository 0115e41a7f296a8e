"""Pages and API lists run a fixed number of SQL queries whatever the row count: each is
measured at N and 2N rows and must cost the same, within a stated ceiling."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination import services
from tests.factories import AgencyFactory, PollingStationFactory, region

N = 15


def grow_regions(tree, election, start, count):
    for index in range(start, start + count):
        village = region(f"64.72.{index + 10:02d}.1001", f"Kelurahan {index}")
        PollingStationFactory(election=election, village=village, number=1)


def grow_stations(tree, election, start, count):
    for number in range(start + 2, start + count + 2):  # TPS 1 comes from the fixture
        PollingStationFactory(election=election, village=tree["sam_kel"], number=number)


def grow_agencies(tree, election, start, count):
    for index in range(start, start + count):
        AgencyFactory(code=f"posko-{index}", jurisdiction=tree["samarinda"])


def grow_users(tree, election, start, count):
    from coordination.models import Agency
    from tests.factories import UserFactory

    agency = Agency.objects.get(code="kpu-samarinda")
    for index in range(start, start + count):
        UserFactory(username=f"operator-{index}", agency=agency)


def grow_tokens(tree, election, start, count, user=None):
    from coordination.models import User

    owner = User.objects.get(username="samarinda_operator")
    for index in range(start, start + count):
        services.api_token_create(actor=owner, name=f"script-{index}")


CASES = [
    # path, grower, persona, ceiling
    ("/", grow_stations, "samarinda_operator", 12),
    ("/regions/64.72/", grow_regions, "samarinda_operator", 14),
    ("/regions/64.72.01.1001/", grow_stations, "samarinda_operator", 14),
    ("/polling-stations/?region=64.72", grow_stations, "samarinda_operator", 12),
    ("/agencies/", grow_agencies, "samarinda_operator", 12),
    ("/profile/", grow_tokens, "samarinda_operator", 14),
    ("/api/v1/regions/", grow_regions, "samarinda_operator", 8),
    ("/api/v1/polling-stations/", grow_stations, "samarinda_operator", 8),
    ("/api/v1/agencies/", grow_agencies, "samarinda_operator", 8),
    ("/api/v1/tokens/", grow_tokens, "samarinda_operator", 8),
    ("/admin/coordination/pollingstation/", grow_stations, "secretariat", 14),
    ("/admin/coordination/region/", grow_regions, "secretariat", 14),
    ("/admin/coordination/agency/", grow_agencies, "secretariat", 14),
    ("/admin/coordination/apitoken/", grow_tokens, "secretariat", 14),
    ("/admin/coordination/user/", grow_users, "secretariat", 14),
    ("/admin/coordination/pollingstation/", grow_stations, "regional_clerk", 14),
    ("/admin/coordination/user/", grow_users, "regional_clerk", 14),
]


def _count(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize(("path", "grow", "persona", "ceiling"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_query_count_does_not_grow(path, grow, persona, ceiling, personas, stations, tree, election, client):
    if persona == "regional_clerk":
        from coordination.choices import Role
        from coordination.models import Agency
        from tests.factories import UserFactory

        personas[persona] = UserFactory(username="clerk", role=Role.SECRETARIAT, is_staff=True,
                                        agency=Agency.objects.get(code="kpu-samarinda"))
    user = personas[persona]
    if persona == "secretariat":
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    client.force_login(user)
    grow(tree, election, 0, N)
    at_n = _count(client, path)
    grow(tree, election, N, N)
    at_2n = _count(client, path)
    assert at_n == at_2n, f"{path}: {at_n} queries at N rows, {at_2n} at 2N"
    assert at_2n <= ceiling, f"{path}: {at_2n} queries, ceiling {ceiling}"
