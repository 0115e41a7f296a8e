"""The secretariat's admin. Every list goes through the same policy as pages and API.

Importing the submodules registers their model admins with the admin site.
"""

from . import agreements, base, planning, regions

__all__ = ["agreements", "base", "planning", "regions"]
