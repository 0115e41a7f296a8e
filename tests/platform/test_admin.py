import pytest

from coordination import services
from coordination.models import ApiToken

ADMIN_LISTS = ["region", "pollingstation", "agency", "user", "apitoken", "election"]


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_every_admin_list_search_and_filter_load(model, secretariat, stations, client):
    client.force_login(secretariat)
    assert client.get(f"/admin/coordination/{model}/").status_code == 200
    assert client.get(f"/admin/coordination/{model}/?q=sam").status_code == 200


@pytest.mark.parametrize("persona", ["samarinda_operator", "province_staff", "observer", "samarinda_police"])
def test_admin_is_for_the_secretariat_only(persona, personas, client):
    user = personas[persona]
    user.is_staff = True  # even a staff flag set by mistake does not open it
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    assert client.get("/admin/coordination/pollingstation/").status_code == 403


def test_regional_secretariat_admin_is_scoped(personas, agencies, stations, client):
    """A secretariat account of a kab/kota office sees only its region in admin too."""
    from coordination.choices import Role
    from tests.factories import UserFactory

    clerk = UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT,
                        agency=agencies["kpu_samarinda"], is_staff=True)
    client.force_login(clerk)
    listing = client.get("/admin/coordination/pollingstation/").content.decode()
    assert "Karang Mumus" in listing and "Damai" not in listing
    other = stations["balikpapan"]
    assert client.get(f"/admin/coordination/pollingstation/{other.pk}/change/").status_code == 302


def test_secretariat_revokes_any_token_in_admin(secretariat, personas, client):
    token, _ = services.api_token_create(actor=personas["samarinda_operator"], name="script")
    client.force_login(secretariat)
    response = client.post("/admin/coordination/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.first().history_user == secretariat
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


@pytest.fixture
def regional_clerk(agencies):
    from coordination.choices import Role
    from tests.factories import UserFactory

    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


def test_admin_history_of_another_region_is_not_found(regional_clerk, stations, client):
    client.force_login(regional_clerk)
    other = stations["balikpapan"]
    version = other.history.first().history_id
    assert client.get(f"/admin/coordination/pollingstation/{other.pk}/history/").status_code == 404
    assert client.get(f"/admin/coordination/pollingstation/{other.pk}/history/{version}/").status_code == 404
    own = stations["samarinda"]
    assert client.get(f"/admin/coordination/pollingstation/{own.pk}/history/").status_code == 200


def test_regional_secretariat_cannot_grant_itself_superuser(regional_clerk, client):
    client.force_login(regional_clerk)
    page = client.get(f"/admin/coordination/user/{regional_clerk.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    client.post(f"/admin/coordination/user/{regional_clerk.pk}/change/", {
        "username": regional_clerk.username, "is_superuser": "on", "is_active": "on", "role": "secretariat",
        "agency": regional_clerk.agency_id, "first_name": "", "last_name": "", "email": "", "position": "",
        "phone": "",
    })
    regional_clerk.refresh_from_db()
    assert not regional_clerk.is_superuser


def test_admin_cannot_move_a_tps_out_of_scope_or_edit_agencies_above(regional_clerk, stations, tree, client):
    client.force_login(regional_clerk)
    station = stations["samarinda"]
    response = client.post(f"/admin/coordination/pollingstation/{station.pk}/change/", {
        "election": station.election_id, "village": tree["bpn_kel"].pk, "number": 5, "address": "x",
        "voters": 10, "access_mode": "road",
    })
    assert response.status_code == 200  # the form refuses the foreign village
    station.refresh_from_db()
    assert station.village == tree["sam_kel"]
    from coordination.models import Agency

    polda = Agency.objects.get(code="polda-kaltim")
    assert 'name="_save"' not in client.get(f"/admin/coordination/agency/{polda.pk}/change/").content.decode()
    assert client.post(f"/admin/coordination/agency/{polda.pk}/change/", {"name": "x"}).status_code == 403
    assert client.get("/admin/coordination/region/add/").status_code == 403
