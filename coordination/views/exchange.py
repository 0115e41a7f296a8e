"""Pages of the information exchange register: the list, a new entry, an entry with its
files, trail, history and (for the sender and the secretariat) who looked at it, the
receiver's acknowledgement and answer, the sender's withdrawal, and file downloads.

Thin: reads through coordination.selectors.exchange (which records looks at confidential
entries and refused attempts on restricted ones), writes through the services. A POST
goes back to a safe ``next`` when given (the dashboard's inbox acknowledges from home),
else to the entry; a refusal shows the entry again with the form's input and errors
(400), or the conflict's message (409)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coordination.choices import OPEN_EXCHANGE_STATUSES, ExchangeKind, ExchangeStatus
from coordination.filters.exchange import ExchangeFilter
from coordination.forms.exchange import AnswerForm, AttachmentForm, ExchangeForm, WithdrawForm
from coordination.policies import can_write
from coordination.policies import exchange as policy
from coordination.selectors import exchange as selectors
from coordination.services import exchange as services
from kpu_polda.base import clock
from kpu_polda.base.forms import Form, attempt
from kpu_polda.base.history import history_entries

from .common import filtered_page, safe_next
from .files import serve_material

TRAIL = 20  # status changes shown on an entry's page
ACCESS_LOG = 20  # looks shown on an entry's page; the API pages through all of them


def _back(request, entry) -> str:
    return safe_next(request, reverse("coordination:exchange-detail", args=[entry.pk]))


@login_required
def exchange_list(request):
    context = filtered_page(request, ExchangeFilter, selectors.exchanges_for(request.user).order_by("-created_at",
                                                                                                     "-id"))
    today = clock.today()
    for entry in context["page"]:
        entry.late = selectors.is_overdue(entry, today)
    return render(request, "coordination/exchange/list.html", {**context, "can_record": can_write(request.user)})


@login_required
def exchange_create(request):
    policy.ensure_can_write_exchanges(request.user)
    form = ExchangeForm(request.POST or None, request.FILES or None, user=request.user,
                        initial={"from_agency": request.user.agency_id, "kind": ExchangeKind.REQUEST})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        entry, conflict = attempt(form, lambda: services.exchange_create(actor=request.user, **form.cleaned_data))
        if entry is not None:
            messages.success(request, _("The entry was sent to %(agency)s.") % {"agency": entry.to_agency})
            return redirect(_back(request, entry))
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "coordination/exchange/form.html", {"form": form, "conflict": conflict}, status=status)


def _detail(request, entry, bound: dict | None = None, conflict: str = "", status: int = 200):
    user = request.user
    open_ = entry.status in OPEN_EXCHANGE_STATUSES
    receives = policy.can_receive(user, entry)
    sees_log = entry.is_restricted and policy.can_see_accesses(user, entry)
    accesses = list(selectors.exchange_accesses(entry)[:ACCESS_LOG + 1]) if sees_log else []
    changes = list(selectors.exchange_status_trail(entry)[:TRAIL + 1])
    return render(request, "coordination/exchange/detail.html", {
        "entry": entry, "late": selectors.is_overdue(entry), "conflict": conflict,
        "attachments": list(selectors.exchange_attachments(entry)),
        "answer_form": AnswerForm(), "withdraw_form": WithdrawForm(), "attachment_form": AttachmentForm(),
        **(bound or {}),
        "can_acknowledge": receives and entry.status == ExchangeStatus.SENT,
        "can_answer": receives and open_ and entry.kind == ExchangeKind.REQUEST,
        "can_withdraw": open_ and policy.can_withdraw(user, entry),
        "can_attach": entry.status != ExchangeStatus.WITHDRAWN and policy.can_attach(user, entry),
        "sees_log": sees_log, "accesses": accesses[:ACCESS_LOG], "older_accesses": len(accesses) > ACCESS_LOG,
        "changes": changes[:TRAIL], "older_changes": len(changes) > TRAIL, "trail_limit": TRAIL,
        "access_limit": ACCESS_LOG, "channels": services.CHANNEL_LABELS, "history": history_entries(entry, limit=10),
    }, status=status)


@login_required
@require_safe
def exchange_detail(request, pk):
    return _detail(request, selectors.exchange_get(request.user, pk))


def _step(request, pk, *, key: str, allowed, build, call, done: str):
    """One POST on an entry: the entry read (a refused attempt on a restricted one is
    recorded), ``allowed(user, entry)`` (403), ``build()`` the form and ``call(entry,
    form)`` the service; then back (``_back``), or the entry's page with the form again."""
    entry = selectors.exchange_get(request.user, pk, shown=False)
    allowed(request.user, entry)
    form = build()
    conflict = ""
    if form.is_valid():
        result, conflict = attempt(form, lambda: call(entry, form) or True)
        if result is not None:
            messages.success(request, done)
            return redirect(_back(request, entry))
    # Shown again, with the refusal: that is a look at the entry like any other.
    return _detail(request, selectors.exchange_get(request.user, pk), {key: form}, conflict,
                   status=409 if conflict else 400)


@login_required
@require_POST
def exchange_acknowledge(request, pk):
    return _step(request, pk, key="acknowledge_form", allowed=policy.ensure_can_receive,
                 build=lambda: Form(request.POST),
                 call=lambda entry, form: services.exchange_acknowledge(actor=request.user, exchange=entry),
                 done=_("Receipt acknowledged."))


@login_required
@require_POST
def exchange_answer(request, pk):
    return _step(request, pk, key="answer_form", allowed=policy.ensure_can_receive,
                 build=lambda: AnswerForm(request.POST),
                 call=lambda entry, form: services.exchange_answer(actor=request.user, exchange=entry,
                                                                   **form.cleaned_data),
                 done=_("The answer was sent."))


@login_required
@require_POST
def exchange_withdraw(request, pk):
    return _step(request, pk, key="withdraw_form", allowed=policy.ensure_can_withdraw,
                 build=lambda: WithdrawForm(request.POST),
                 call=lambda entry, form: services.exchange_withdraw(actor=request.user, exchange=entry,
                                                                     **form.cleaned_data),
                 done=_("The entry was withdrawn."))


@login_required
@require_POST
def exchange_attach(request, pk):
    return _step(request, pk, key="attachment_form", allowed=policy.ensure_can_attach,
                 build=lambda: AttachmentForm(request.POST, request.FILES),
                 call=lambda entry, form: services.exchange_attach(actor=request.user, exchange=entry,
                                                                   **form.cleaned_data),
                 done=_("The file was added."))


@require_safe
@login_required
def exchange_attachment(request, pk):
    """A file of an entry the user may see; a download of a confidential entry's file is
    recorded as a look at it, a refused one on a restricted entry likewise."""
    return serve_material(selectors.exchange_attachment_get(request.user, pk).file)


urlpatterns = [
    path("exchanges/", exchange_list, name="exchange-list"),
    path("exchanges/new/", exchange_create, name="exchange-create"),
    path("exchanges/<int:pk>/", exchange_detail, name="exchange-detail"),
    path("exchanges/<int:pk>/acknowledge/", exchange_acknowledge, name="exchange-acknowledge"),
    path("exchanges/<int:pk>/answer/", exchange_answer, name="exchange-answer"),
    path("exchanges/<int:pk>/withdraw/", exchange_withdraw, name="exchange-withdraw"),
    path("exchanges/<int:pk>/attachments/", exchange_attach, name="exchange-attach"),
    path("exchange-attachments/<int:pk>/", exchange_attachment, name="exchange-attachment"),
]
