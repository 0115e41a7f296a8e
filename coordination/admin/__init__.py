"""The secretariat's admin. Every list goes through the same policy as pages and API.

Importing the submodules registers their model admins with the admin site.
"""

from . import activities, agreements, base, exchange, facilities, notifications, planning, regions

__all__ = ["activities", "agreements", "base", "exchange", "facilities", "notifications", "planning", "regions"]
