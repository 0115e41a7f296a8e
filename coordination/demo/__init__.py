"""Demo and reference data for development and demonstrations: Kaltim's elections,
agencies, demo accounts, a deterministic set of Pemilu 2024 polling stations, the
reference data with its sources, and demo risks and evidence. Not a domain service: these
functions build data by calling the services where there is one. Every function is
idempotent."""

from .accounts import (
    DEMO_USERNAMES,
    DEMO_USERS,
    agencies_seed,
    demo_users_seed,
    elections_seed,
)
from .planning import demo_risks_and_evidence, demo_tps_classify
from .polling_stations import demo_polling_stations_generate
from .reference import reference_seed

__all__ = [
    "DEMO_USERNAMES",
    "DEMO_USERS",
    "agencies_seed",
    "demo_polling_stations_generate",
    "demo_risks_and_evidence",
    "demo_tps_classify",
    "demo_users_seed",
    "elections_seed",
    "reference_seed",
]
