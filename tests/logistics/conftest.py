"""The logistics tests' ground: an escort world on top of the shared personas."""

import pytest

from tests.factories import escort_request


@pytest.fixture
def make_escort(election, personas, stations):
    """Build an escort to Samarinda's first TPS (or ``destination``) in ``status``."""

    def make(status="submitted", destination=None, **extra):
        return escort_request(election=election, destination=destination or stations["samarinda"],
                              kpu=personas["samarinda_operator"], police=personas["samarinda_police"],
                              status=status, **extra)

    return make
