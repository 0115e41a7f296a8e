"""The person's notifications: the list behind the bell, marking them read, how each kind
reaches them, and the unsubscribe link of every email."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from coordination import selectors, services
from coordination.choices import Delivery
from coordination.filters import NotificationFilter
from coordination.selectors.notifications import notification_preferences_for
from coordination.services import preferences
from coordination.services.notifications import KINDS
from kpu_polda.base.forms import Form, attempt

from .common import filtered_page, safe_next


def _back(request):
    """Back where the form was posted from (the list, with its filters and page), never
    to another site."""
    return redirect(safe_next(request, reverse("coordination:notification-list")))


@login_required
def notification_list(request):
    return render(request, "coordination/notification_list.html",
                  filtered_page(request, NotificationFilter, selectors.notifications_for(request.user)))


@login_required
@require_POST
def notification_read(request, pk):
    services.notification_mark_read(actor=request.user, notification=selectors.notification_get(request.user, pk))
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(actor=request.user)
    return _back(request)


class PreferencesForm(Form):
    """One choice per kind of notification. A kind left out of the post keeps its choice
    (one registered after the page was opened, say)."""

    def __init__(self, rows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row.kind] = forms.ChoiceField(
                label=row.label, choices=Delivery.choices, required=False, initial=row.delivery,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    rows = notification_preferences_for(request.user, KINDS)
    form = PreferencesForm(rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        choices = {kind: value for kind, value in form.cleaned_data.items() if value}
        attempt(form, lambda: preferences.notification_preferences_set(actor=request.user, choices=choices))
        if not form.errors:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("coordination:notification-preferences")
    return render(request, "coordination/notifications/preferences.html", {"form": form, "rows": rows},
                  status=400 if form.errors else 200)


# Exempt from CSRF on purpose: RFC 8058's one-click unsubscribe is a POST from the mail
# client (body "List-Unsubscribe=One-Click") with no cookie and no CSRF token. The signed
# token in the address is what authorises it, and all it can do is move the kinds it names
# to the app only for the person it names: a forged POST needs that person's token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token):
    """GET shows what the link would do and a button (mail scanners follow links: a GET
    changes nothing); POST does it. No login: the link comes from the person's mailbox."""
    template = "coordination/notifications/unsubscribe.html"
    try:
        if request.method == "POST":
            ask = preferences.notification_unsubscribe(token=token)
        else:
            ask = preferences.unsubscribe_read(token)
    except preferences.BadUnsubscribeLink as exc:
        return render(request, template, {"error": exc.message}, status=400)
    return render(request, template, {"ask": ask, "done": request.method == "POST"})
