"""The month calendar, the follow-up lists, and the personal calendar feed."""

import calendar as months
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kpu_polda.base import clock
from kpu_polda.base.forms import month_param

from .. import ics, selectors, services


@login_required
def month(request):
    first = month_param(request.GET.get("month"))
    days = selectors.month_of(request.user, first)
    weeks = [[(day, days.get(day, [])) for day in week]
             for week in months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    previous = (first.replace(day=1) - date.resolution).replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return render(request, "meetings/calendar.html", {
        "first": first, "weeks": weeks, "previous": previous, "following": following, "today": clock.today()})


@login_required
def my_actions(request):
    return render(request, "meetings/actions.html", {
        "actions": list(selectors.my_action_items(request.user)[:200])})


@login_required
def overdue(request):
    return render(request, "meetings/overdue.html", {"groups": selectors.overdue_by_agency(request.user)})


@login_required
def feed_settings(request):
    return render(request, "meetings/feed.html", {"feed": selectors.feed_active(request.user),
                                                  "key": request.session.pop("feed_key", None)})


@login_required
@require_POST
def feed_change(request):
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(actor=request.user)
        messages.success(request, _("Your calendar feed address no longer works."))
    else:
        # Shown once on the next page, then only its hash remains.
        request.session["feed_key"] = services.calendar_feed_create(actor=request.user)
        messages.success(request, _("A new calendar feed address is ready; the old one no longer works."))
    return redirect("meetings:feed-settings")


@never_cache
def feed(request, key):
    """The feed itself: no sign-in (calendar apps cannot), the key is the secret."""
    user = selectors.feed_owner(key)
    if user is None:
        raise Http404
    meetings, actions = selectors.feed_entries(user)
    return HttpResponse(ics.feed_ics(meetings, actions), content_type="text/calendar; charset=utf-8")
