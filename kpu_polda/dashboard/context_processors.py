from functools import cached_property

from coordination import selectors
from coordination.selectors.notifications import UNREAD_CAP
from kpu_polda.base import clock


class UnreadNotifications:
    """The bell's figure, read once per page and only when a template asks for it (a page
    for a visitor who is not signed in never asks)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(self.user)

    @property
    def label(self) -> str:
        return f"{UNREAD_CAP - 1}+" if self.count >= UNREAD_CAP else str(self.count)


def shell(request):
    """What base.html needs on every page: the app's clock (for the simulated-time badge)
    and the unread count of the bell."""
    return {"clock_now": clock.now(), "clock_simulated": clock.is_simulated(),
            "notifications_unread": UnreadNotifications(getattr(request, "user", None))}
