"""Every write in coordination goes through one of these services."""

from .polling_stations import ImportResult, polling_station_import_csv
from .regions import region_import_csv
from .system import actor_by_username, system_actor
from .tokens import api_token_create, api_token_revoke, api_token_touch

__all__ = [
    "ImportResult",
    "actor_by_username",
    "api_token_create",
    "api_token_revoke",
    "api_token_touch",
    "polling_station_import_csv",
    "region_import_csv",
    "system_actor",
]
