"""The person's notifications: the list behind the bell, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coordination import selectors, services
from coordination.filters import NotificationFilter

from .common import filtered_page


def _back(request):
    """Back where the form was posted from (the list, with its filters and page), never
    to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("coordination:notification-list")


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
