"""One election lookup for pages and API: ``?election=<code>`` names an election in the
caller's scope (an unknown code is 404, never a silent fallback), no code means the next
election by voting day, else the latest."""

from datetime import date

import pytest

from coordination import selectors
from kpu_polda.base.exceptions import OutOfScope
from tests.factories import ElectionFactory


def test_election_for_prefers_the_next_then_the_latest(personas, monkeypatch):
    user = personas["samarinda_operator"]
    assert selectors.election_for(user, None) is None
    old = ElectionFactory(code="pemilu-2019", voting_day=date(2019, 4, 17))
    later = ElectionFactory(code="pilkada-2020", voting_day=date(2020, 12, 9))
    monkeypatch.setattr("kpu_polda.base.clock.today", lambda: date(2019, 1, 1))
    assert selectors.election_for(user, None) == old
    monkeypatch.setattr("kpu_polda.base.clock.today", lambda: date(2030, 1, 1))
    assert selectors.election_for(user, None) == later
    assert selectors.election_for(user, "pemilu-2019") == old
    with pytest.raises(OutOfScope):
        selectors.election_for(user, "nope")


@pytest.mark.parametrize("path", ["/regions/64.72/", "/risks/heat-map/", "/personnel-plan/",
                                  "/api/v1/personnel-plan/"])
def test_an_unknown_election_code_is_not_found_everywhere(path, personas, election, client):
    client.force_login(personas["samarinda_operator"])
    assert client.get(path, {"election": election.code}).status_code == 200
    assert client.get(path, {"election": "nope"}).status_code == 404
