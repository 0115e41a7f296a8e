"""Where a deep page of the TPS list is, for the national bench (pages and API).

With page numbers, the deep page is ``?page=N``: page 16,000 at national volume (of
16,404), the same share of the list at a smaller scale. With cursor links (the lists read
by kpu_polda.base.keyset), following 16,000 next links would take longer than the bench:
the cursor of the row just before that page is made by the list's own KeysetPaginator,
with the ordering whose cursor of page 1's last row is exactly page 1's next link (cursors
are signed with the process's secret key, so this runs in a process with the server's
settings). The link is used only if the page it opens starts with the row expected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

PAGE_SIZE = 50
NATIONAL_PAGES, DEEP_PAGE = 16_404, 16_000
# The TPS list's order, then the model's: the first whose page-1 cursor matches is the list's.
ORDERINGS = [("village_code", "number", "election_id"), ("village_code", "number")]


@dataclass
class Target:
    path: str | None
    label: str
    note: str = ""


def deep_page(count: int) -> int:
    pages = max(math.ceil(count / PAGE_SIZE), 1)
    return max(1, min(DEEP_PAGE, pages, round(pages * DEEP_PAGE / NATIONAL_PAGES)))


def cursor_of(link: str | None) -> str | None:
    """The ``cursor`` parameter of a next link, if it has one."""
    if not link:
        return None
    found = parse_qs(urlsplit(link.replace("&amp;", "&")).query).get("cursor")
    return found[0] if found else None


def deep_cursor(username: str, next_cursor: str) -> tuple[str, int, int] | None:
    """(the cursor opening the deep page, its number, the id of its first row) for the TPS
    list ``username`` sees, or None when no ordering gives page 1's ``next_cursor``."""
    from coordination import selectors
    from coordination.models import PollingStation, User
    from kpu_polda.base.keyset import KeysetPaginator

    user = User.objects.get(username=username)
    scoped = selectors.polling_stations_for(user)
    page = deep_page(scoped.count())
    if page == 1:
        return None
    for ordering in ORDERINGS:
        paginator = KeysetPaginator(PollingStation.objects.order_by(*ordering), PAGE_SIZE)
        rows = scoped.order_by(*ordering, "id").values(*ordering, "id")
        if paginator.encode(rows[PAGE_SIZE - 1], forward=True) != next_cursor:
            continue
        before, first = rows[(page - 1) * PAGE_SIZE - 1:(page - 1) * PAGE_SIZE + 1]
        return paginator.encode(before, forward=True), page, first["id"]
    return None


def _next_link(response, api: bool) -> str | None:
    if api:
        return response.json().get("next")
    found = re.search(r'href="([^"]*)" rel="next"', response.content.decode())
    return found.group(1) if found else None


def deep_path(client, path: str, username: str) -> Target:
    """The deep page of the list at ``path`` (the HTML list or the API) for ``username``,
    through Django's test Client (the same process, so the same secret key)."""
    from coordination import selectors
    from coordination.models import User

    api = path.startswith("/api/")
    link = _next_link(client.get(path), api)
    cursor = cursor_of(link)
    if cursor is None:
        count = selectors.polling_stations_for(User.objects.get(username=username)).count()
        page = deep_page(count)
        return Target(f"{path}?page={page}", f"page {page:,} (?page=)")
    made = deep_cursor(username, cursor)
    if made is None:
        return Target(None, "", f"no cursor of the list's orderings matches page 1's next link {link}")
    deep, page, first = made
    target = f"{path}?cursor={quote(deep)}"
    response = client.get(target)
    if api:
        starts = (response.json().get("results") or [{}])[0].get("id") == first
    else:
        starts = f"/polling-stations/{first}/" in response.content.decode()
    if response.status_code != 200 or not starts:
        return Target(None, "", f"the cursor made for page {page:,} did not open there ({response.status_code})")
    return Target(target, f"page {page:,} (cursor)", "the cursor of the row before it, made by the list's paginator")
