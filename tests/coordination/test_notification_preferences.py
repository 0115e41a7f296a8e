"""How each person takes each kind of notification: every app's kinds registered, each
row stamped with its recipient's choice when written (in a fixed number of queries), a
change of choice followed by the rows still waiting, the drain emailing only "at once"
rows, and the preferences page, API and admin."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from coordination import services
from coordination.admin.notifications import NotificationPreferenceAdmin
from coordination.models import Notification, NotificationPreference
from coordination.services import preferences
from coordination.services.notifications import KINDS
from kpu_polda.base import clock
from tests.coordination.outbox_support import compose
from tests.factories import UserFactory

REMINDER = "meeting_reminder"
BREACH = "clause_breach"


def choose(user, kind, delivery):
    return preferences.notification_preference_set(actor=user, kind=kind, delivery=delivery)


def note(user, key, kind=REMINDER, **extra):
    return services.notification_enqueue(recipient=user, kind=kind, dedupe_key=key, template=compose,
                                         context={"key": key}, **extra)


def delivery_of(key):
    return Notification.objects.get(dedupe_key=key).delivery


# --- the kinds ------------------------------------------------------------------------


def test_every_apps_kinds_are_registered_with_a_label():
    from coordination.services.clause_breaches import KIND
    from logistics.services.notices import ALERT, DISCREPANCY, INCIDENT
    from meetings import choices

    kinds = [KIND, ALERT, DISCREPANCY, INCIDENT] + [getattr(choices, name) for name in dir(choices)
                                                    if name.endswith("_KIND")]
    assert len(kinds) == 11
    for kind in kinds:
        assert kind in KINDS, kind
        assert str(KINDS[kind]) and str(KINDS[kind]) != kind


# --- writing rows ---------------------------------------------------------------------


def test_each_row_is_written_with_its_recipients_choice_for_its_kind(people):
    operator, police, staff = people["samarinda_operator"], people["samarinda_police"], people["province_staff"]
    choose(operator, REMINDER, "digest")
    choose(police, REMINDER, "in_app")
    choose(staff, BREACH, "digest")  # another kind: the reminder still comes at once

    note(operator, "satu")
    items = [services.Outgoing(recipient=user, dedupe_key=f"banyak:{user.pk}", context={"key": "x"})
             for user in (operator, police, staff)]
    assert services.notification_enqueue_many(kind=REMINDER, template=compose, items=items) == 3

    assert delivery_of("satu") == "digest"
    assert [delivery_of(f"banyak:{u.pk}") for u in (operator, police, staff)] == ["digest", "in_app", "immediate"]


def test_enqueue_many_reads_the_choices_in_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    agency = people["samarinda_operator"].agency
    counts = []
    for start, size in ((0, 5), (5, 40)):
        users = [UserFactory(username=f"staf-{i}", agency=agency, email=f"staf-{i}@example.org")
                 for i in range(start, start + size)]
        for index, user in enumerate(users):
            choose(user, REMINDER, ("digest", "in_app", "immediate")[index % 3])
        items = [services.Outgoing(recipient=u, dedupe_key=f"q:{u.pk}", context={"key": "x"}) for u in users]
        # The keys, the choices, and the insert in its savepoint.
        with django_assert_max_num_queries(5) as queries:
            assert services.notification_enqueue_many(kind=REMINDER, template=compose, items=items) == size
        counts.append(len(queries.captured_queries))
        assert sum("notificationpreference" in q["sql"] for q in queries.captured_queries) == 1
        assert [delivery_of(f"q:{u.pk}") for u in users] == [("digest", "in_app", "immediate")[i % 3]
                                                               for i in range(size)]
    assert counts[0] == counts[1]


# --- changing a choice ----------------------------------------------------------------


def test_a_change_of_choice_rewrites_the_rows_still_waiting_and_names_its_actor(people):
    operator, other = people["samarinda_operator"], people["balikpapan_operator"]
    later = clock.now() + timedelta(days=2)
    waiting = note(operator, "menunggu", due_at=later)
    due = note(operator, "jatuh-tempo")
    sent = note(operator, "terkirim")
    Notification.objects.filter(pk=sent.pk).update(sent_at=clock.now())
    cancelled = note(operator, "batal", due_at=later)
    Notification.objects.filter(pk=cancelled.pk).update(cancelled_at=clock.now())
    other_kind = note(operator, "jenis-lain", kind=BREACH, due_at=later)
    theirs = note(other, "milik-dia", due_at=later)

    row = choose(operator, REMINDER, "digest")
    assert (row.user, row.kind, row.delivery) == (operator, REMINDER, "digest")
    assert {key: delivery_of(key) for key in ("menunggu", "jatuh-tempo", "terkirim", "batal")} == {
        "menunggu": "digest", "jatuh-tempo": "digest", "terkirim": "immediate", "batal": "immediate"}
    assert delivery_of(other_kind.dedupe_key) == delivery_of(theirs.dedupe_key) == "immediate"

    choose(operator, REMINDER, "in_app")
    assert delivery_of(waiting.dedupe_key) == delivery_of(due.dedupe_key) == "in_app"
    assert NotificationPreference.objects.filter(user=operator).count() == 1
    history = row.history.order_by("history_id")
    assert [(h.history_type, h.delivery, h.history_user) for h in history] == [
        ("+", "digest", operator), ("~", "in_app", operator)]
    choose(operator, REMINDER, "in_app")  # already so: no history entry
    assert row.history.count() == 2


def test_an_unknown_kind_or_delivery_is_refused_with_nothing_saved(people):
    operator = people["samarinda_operator"]
    with pytest.raises(ValidationError) as unknown:
        choose(operator, "tidak_ada", "digest")
    assert set(unknown.value.message_dict) == {"tidak_ada"}
    with pytest.raises(ValidationError) as bad:
        preferences.notification_preferences_set(actor=operator, choices={REMINDER: "digest", BREACH: "fax"})
    assert set(bad.value.message_dict) == {BREACH}
    assert not NotificationPreference.objects.exists()  # all or nothing


def test_the_bulk_form_writes_no_row_for_a_kind_left_at_once(people):
    operator = people["samarinda_operator"]
    saved = preferences.notification_preferences_set(actor=operator, choices={REMINDER: "immediate", BREACH: "digest"})
    assert list(saved) == [BREACH]
    assert list(NotificationPreference.objects.values_list("kind", "delivery")) == [(BREACH, "digest")]


# --- the drain --------------------------------------------------------------------------


def test_the_drain_emails_only_rows_chosen_at_once(people, client):
    operator, police, staff = people["samarinda_operator"], people["samarinda_police"], people["province_staff"]
    choose(operator, REMINDER, "digest")
    choose(police, REMINDER, "in_app")
    for user in (operator, police, staff):
        note(user, f"drain:{user.username}")

    result = services.notifications_drain()
    assert (result.claimed, result.sent, result.in_app, result.without_email) == (2, 1, 1, 0)
    assert [m.to for m in mail.outbox] == [["province_staff@example.org"]]
    rows = {row.recipient_id: row for row in Notification.objects.all()}
    assert rows[police.pk].sent_at is not None  # closed without email
    assert rows[operator.pk].sent_at is None and rows[operator.pk].next_attempt_at is None  # left to the digest
    assert services.notifications_drain().claimed == 0
    assert len(mail.outbox) == 1

    # Both still show in the app.
    for user in (operator, police):
        client.force_login(user)
        assert f"Subjek drain:{user.username}" in client.get("/notifications/").content.decode()


def test_switching_back_to_at_once_lets_the_drain_send_what_waited(people):
    operator = people["samarinda_operator"]
    choose(operator, REMINDER, "digest")
    note(operator, "kembali")
    assert services.notifications_drain().sent == 0
    choose(operator, REMINDER, "immediate")
    assert services.notifications_drain().sent == 1
    assert mail.outbox[0].subject == "Subjek kembali"


def test_a_meetings_reminder_and_a_logistics_alert_written_after_choosing_in_app_are_not_emailed(
        people, agencies, election, stations):
    from logistics import services as logistics
    from logistics.services.notices import ALERT
    from meetings import services as meetings
    from tests.factories import escort_request

    staff, operator = people["province_staff"], people["samarinda_operator"]
    choose(staff, REMINDER, "in_app")
    choose(operator, ALERT, "in_app")
    start = clock.now()
    meeting = meetings.meeting_create(
        actor=people["province_police"], title="Rakor pengamanan", organiser=agencies["polda"],
        starts_at=start + timedelta(days=4), ends_at=start + timedelta(days=4, hours=2), place="Mapolda",
        invited_people=[staff, people["secretariat"]])
    escort_request(election=election, destination=stations["samarinda"], kpu=operator,
                   police=people["samarinda_police"])
    with clock.travel_to(start + timedelta(days=2)):
        assert logistics.escort_sla_check() == 1  # not accepted within 24 hours
        reminders = Notification.objects.filter(kind=REMINDER, target_id=meeting.pk, recipient=staff)
        alerts = Notification.objects.filter(kind=ALERT, recipient=operator)
        assert set(reminders.values_list("delivery", flat=True)) == {"in_app"}
        assert list(alerts.values_list("delivery", flat=True)) == ["in_app"]
        services.notifications_drain()
    assert Notification.objects.filter(kind__in=[REMINDER, ALERT]).filter(sent_at=None, due_at__lte=start
                                                                            + timedelta(days=2)).count() == 0
    told = {address for message in mail.outbox for address in message.to}
    assert "province_staff@example.org" not in told and "samarinda_operator@example.org" not in told
    # The others chose nothing: their reminder and alert came by email.
    assert {"secretariat@example.org", "samarinda_police@example.org"} <= told
    assert reminders.filter(sent_at__isnull=False).exists() and alerts.get().sent_at is not None


# --- the page -----------------------------------------------------------------------------


def test_the_page_lists_every_registered_kind_with_the_persons_choice(people, client):
    operator = people["samarinda_operator"]
    choose(operator, REMINDER, "digest")
    choose(people["balikpapan_operator"], BREACH, "in_app")
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/notifications/preferences/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-testid="preference"') == len(KINDS)
    for kind in KINDS:
        assert f'data-kind="{kind}"' in body
        assert body.count(f'type="radio" name="{kind}"') == 3
    assert "<legend class=\"h6 mb-1\">Meeting reminder</legend>" in body
    assert re.search(rf'name="{REMINDER}" value="digest"[^>]*checked', body)
    assert re.search(rf'name="{BREACH}" value="immediate"[^>]*checked', body)  # not another person's choice
    assert not re.search(rf'name="{BREACH}" value="in_app"[^>]*checked', body)


def test_the_page_saves_every_choice_in_one_post(people, client):
    operator = people["samarinda_operator"]
    note(operator, "tertunda", due_at=clock.now() + timedelta(days=1))
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/notifications/preferences/", {REMINDER: "in_app", BREACH: "digest",
                                                            "logistics.sla": "immediate"})
    assert (response.status_code, response["Location"]) == (302, "/notifications/preferences/")
    assert dict(NotificationPreference.objects.filter(user=operator).values_list("kind", "delivery")) == {
        REMINDER: "in_app", BREACH: "digest"}
    assert delivery_of("tertunda") == "in_app"
    assert "Your notification settings are saved." in client.get("/notifications/preferences/").content.decode()


def test_a_bad_choice_on_the_page_is_a_form_error_with_nothing_saved(people, client):
    client.force_login(people["samarinda_operator"])
    response = client.post("/notifications/preferences/", {REMINDER: "digest", BREACH: "merpati"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {BREACH}
    assert not NotificationPreference.objects.exists()


def test_the_page_is_linked_from_the_list_and_the_profile_and_needs_a_login(people, client):
    assert client.get("/notifications/preferences/").status_code == 302
    client.force_login(people["observer"])
    for path in ("/notifications/", "/profile/"):
        assert 'href="/notifications/preferences/"' in client.get(path).content.decode(), path


# --- the API ------------------------------------------------------------------------------


def test_the_api_lists_and_sets_the_callers_choices_only(people, api_for):
    operator, other = people["samarinda_operator"], people["balikpapan_operator"]
    choose(other, REMINDER, "in_app")
    client = api_for(operator)
    rows = client.get("/api/v1/notification-preferences/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["kind"] for row in rows] == [row.kind for row in preferences_of(operator)]
    assert {row["kind"] for row in rows} == set(KINDS)
    assert {row["delivery"] for row in rows} == {"immediate"}  # not the other person's in_app
    assert {row["kind"]: row["label"] for row in rows}[REMINDER] == "Meeting reminder"

    answer = client.patch("/api/v1/notification-preferences/", {REMINDER: "digest"}, format="json")
    assert answer.status_code == 200
    assert {row["kind"]: row["delivery"] for row in answer.json()}[REMINDER] == "digest"
    answer = client.put("/api/v1/notification-preferences/", {BREACH: "in_app"}, format="json")
    assert answer.status_code == 200
    assert dict(NotificationPreference.objects.filter(user=operator).values_list("kind", "delivery")) == {
        REMINDER: "digest", BREACH: "in_app"}  # PUT too leaves the kinds not sent alone
    assert NotificationPreference.objects.get(user=other).delivery == "in_app"


def preferences_of(user):
    from coordination.selectors.notifications import notification_preferences_for

    return notification_preferences_for(user, KINDS)


@pytest.mark.parametrize(("body", "field"), [
    ({"tidak_ada": "digest"}, "tidak_ada"),
    ({REMINDER: "merpati"}, REMINDER),
    ({REMINDER: "digest", "id": 3}, "id"),
])
def test_the_api_refuses_unknown_kinds_and_deliveries(people, api_for, body, field):
    response = api_for(people["samarinda_operator"]).patch("/api/v1/notification-preferences/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and set(response.json()["errors"]) == {field}
    assert not NotificationPreference.objects.exists()


def test_the_api_refuses_a_body_that_is_not_an_object_and_strangers(people, api_for):
    client = api_for(people["samarinda_operator"])
    assert client.patch("/api/v1/notification-preferences/", ["digest"], format="json").status_code == 400
    assert api_for().get("/api/v1/notification-preferences/").status_code == 401
    assert api_for().patch("/api/v1/notification-preferences/", {REMINDER: "digest"},
                           format="json").status_code == 401


def test_the_api_list_costs_the_same_however_many_kinds_and_choices(people, api_for, django_assert_max_num_queries,
                                                                    monkeypatch):
    operator = people["samarinda_operator"]
    client = api_for(operator)
    counts = []
    for start in (0, 10):
        for index in range(start, start + 10):
            monkeypatch.setitem(KINDS, f"uji.{index}", f"Uji {index}")
            choose(operator, f"uji.{index}", "digest")
        with django_assert_max_num_queries(3) as queries:  # the token, the choices
            rows = client.get("/api/v1/notification-preferences/").json()
        assert sum(row["kind"].startswith("uji.") for row in rows) == start + 10
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


# --- the admin ----------------------------------------------------------------------------


def test_the_admin_lists_the_choices_of_the_secretariats_region_only_and_changes_none(people, agencies):
    from coordination.choices import Role

    clerk = UserFactory(username="clerk", role=Role.SECRETARIAT, is_staff=True, agency=agencies["kpu_samarinda"])
    choose(people["samarinda_operator"], REMINDER, "digest")
    choose(people["samarinda_police"], REMINDER, "in_app")
    choose(people["balikpapan_operator"], REMINDER, "in_app")
    model_admin = NotificationPreferenceAdmin(NotificationPreference, admin.site)
    request = RequestFactory().get("/admin/")
    request.user = clerk
    users = set(model_admin.get_queryset(request).values_list("user__username", flat=True))
    assert users == {"samarinda_operator", "samarinda_police"}
    row = NotificationPreference.objects.get(user=people["samarinda_operator"])
    assert model_admin.has_view_permission(request, row)
    assert not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request, row)
                or model_admin.has_delete_permission(request, row))
    request.user = people["samarinda_operator"]
    assert not model_admin.has_view_permission(request)
