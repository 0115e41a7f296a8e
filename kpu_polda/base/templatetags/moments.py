"""How a moment reads on a page: in WITA, with "WITA" said, and how long ago or ahead it is
on the app's clock (so a demo that starts in February 2024 says "3 days ago", not "2 years").

``{{ value|when }}`` for a moment recorded on the app's clock (history, reviews, status
moves, notifications); ``{{ value|when:"real" }}`` for a security moment kept on real time
(an API token's expiry), shown where the app's clock puts it. ``{{ value|is_future }}``
(same argument) picks the words around it: "expires on" or "expired on".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import dateformat, timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext

from kpu_polda.base import clock

register = template.Library()

FORMAT = "j M Y H:i"
ZONE_NAME = "WITA"


def on_app_clock(value: datetime, kind: str = "") -> datetime:
    """``value`` as the app's clock reads it: real-time moments are shifted by its offset."""
    return clock.from_real(value) if kind == "real" else value


def relative(value: datetime, now: datetime | None = None) -> str:
    """"3 days ago", "2 weeks from now" or "now", measured against the app's clock."""
    now = clock.now() if now is None else now
    if abs(value - now) < timedelta(minutes=1):
        return gettext("now")
    if value > now:
        return gettext("%(delta)s from now") % {"delta": timeuntil(value, now, depth=1)}
    return gettext("%(delta)s ago") % {"delta": timesince(value, now, depth=1)}


def moment_text(value: datetime, kind: str = "", *, with_relative: bool = True) -> str:
    """"12 Feb 2024 10:00 WITA (3 days ago)": the moment in the project's zone (WITA)."""
    value = on_app_clock(value, kind)
    text = f"{dateformat.format(timezone.localtime(value), FORMAT)} {ZONE_NAME}"
    return f"{text} ({relative(value)})" if with_relative else text


@register.filter
def when(value, kind: str = ""):
    """A moment as people read it: WITA, with its distance from now; "" for no moment."""
    if not isinstance(value, datetime):
        return value if value not in (None, "") else ""
    return moment_text(value, kind)


@register.filter
def is_future(value, kind: str = "") -> bool:
    """Whether the moment lies ahead on the app's clock."""
    return isinstance(value, datetime) and on_app_clock(value, kind) > clock.now()
