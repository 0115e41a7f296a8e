"""One-click unsubscribe: every email (at once and digest) carries a signed link per kind
and the RFC 8058 headers; a GET only asks, a POST (the page's button, or a mail client's
one-click POST with no CSRF token) moves the kind to the app only; a bad link is a 400
that changes nothing."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client

from coordination import services
from coordination.models import Notification, NotificationPreference
from coordination.services import preferences
from kpu_polda.base import clock
from tests.coordination.outbox_support import at, compose

REMINDER, BREACH = "meeting_reminder", "clause_breach"
LINK = re.compile(r"https://koordinasi\.example\.org(/notifications/unsubscribe/[^/\s>]+/)")


def note(user, key, kind=REMINDER, **extra):
    return services.notification_enqueue(recipient=user, kind=kind, dedupe_key=key, template=compose,
                                         context={"key": key}, **extra)


def header_path(message) -> str:
    value = message.extra_headers["List-Unsubscribe"]
    assert value.startswith("<https://") and value.endswith(">")
    return LINK.fullmatch(value[1:-1]).group(1)


def choices(user):
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_email_sent_at_once_carries_the_link_and_the_headers_of_its_kind(people):
    operator = people["samarinda_operator"]
    note(operator, "segera")
    services.notifications_drain()
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = header_path(message)
    assert LINK.findall(message.body) == [path]  # the same link in the body
    assert preferences.unsubscribe_read(path.split("/")[-2]).kinds == [REMINDER]
    assert "https://koordinasi.example.org/notifications/preferences/" in message.body


def test_a_digest_carries_a_link_per_kind_and_a_header_for_all_of_them(people, client):
    operator = people["samarinda_operator"]
    for kind in (REMINDER, BREACH):
        preferences.notification_preference_set(actor=operator, kind=kind, delivery="digest")
        note(operator, f"ringkas:{kind}", kind=kind, due_at=at(2024, 2, 7))
    with clock.travel_to(at(2024, 2, 8, 7)):
        preferences.notifications_digest_send()
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    in_body = LINK.findall(message.body)
    assert sorted(preferences.unsubscribe_read(p.split("/")[-2]).kinds[0] for p in in_body) == [BREACH, REMINDER]
    # The header stops the digest itself: every kind it contains.
    response = Client().post(header_path(message), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert choices(operator) == {REMINDER: "in_app", BREACH: "in_app"}


def test_a_get_asks_and_changes_nothing(people, english):
    operator = people["samarinda_operator"]
    preferences.notification_preference_set(actor=operator, kind=REMINDER, delivery="digest")
    row = NotificationPreference.objects.get()
    path = f"/notifications/unsubscribe/{preferences.unsubscribe_token(operator.pk, [REMINDER])}/"
    for _ in range(2):  # a mail scanner, then the person
        response = english.get(path)
        assert response.status_code == 200
    body = response.content.decode()
    assert "Meeting reminder" in body and 'data-testid="unsubscribe-confirm"' in body and 'method="post"' in body
    assert choices(operator) == {REMINDER: "digest"} and row.history.count() == 1


def test_the_button_moves_the_kind_to_the_app_only_and_says_so(people, english):
    operator = people["samarinda_operator"]
    waiting = note(operator, "menunggu", due_at=clock.now() + timedelta(days=1))
    token = preferences.unsubscribe_token(operator.pk, [REMINDER])
    response = english.post(f"/notifications/unsubscribe/{token}/")  # no login
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="unsubscribe-done"' in body
    assert "Meeting reminder" in body and 'href="/notifications/preferences/"' in body
    assert choices(operator) == {REMINDER: "in_app"}
    assert Notification.objects.get(pk=waiting.pk).delivery == "in_app"
    assert NotificationPreference.objects.get().history.get().history_user == operator
    # Again (a second click): the same answer, nothing more written.
    assert english.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert NotificationPreference.objects.get().history.count() == 1


def test_a_mail_clients_one_click_post_works_without_a_csrf_token(people):
    operator = people["samarinda_operator"]
    token = preferences.unsubscribe_token(operator.pk, [BREACH])
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/notifications/unsubscribe/{token}/", "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert choices(operator) == {BREACH: "in_app"}
    # The rest of the site still wants its token.
    strict.force_login(operator)
    assert strict.post("/notifications/preferences/", {REMINDER: "digest"}).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_link_is_a_400_that_changes_nothing(people, english, method):
    operator, other = people["samarinda_operator"], people["balikpapan_operator"]
    good = preferences.unsubscribe_token(operator.pk, [REMINDER])
    payload, _sep, signature = good.partition(":")
    forged = signing.Signer(salt="lain").sign_object([other.pk, [REMINDER]], compress=True)  # signed for another use
    swapped = preferences.unsubscribe_token(other.pk, [REMINDER]).split(":")[0] + ":" + good.split(":", 1)[1]
    unknown_person = preferences.unsubscribe_token(999999, [REMINDER])
    unknown_kind = preferences.unsubscribe_token(operator.pk, ["tidak_ada"])
    for token in (good[:-3] + "xyz", payload + ":" + signature[::-1], forged, swapped, unknown_person,
                  unknown_kind, "bukan-token"):
        response = getattr(english, method)(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400, token
        assert 'data-testid="unsubscribe-error"' in response.content.decode()
        assert "This unsubscribe link is not valid." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_other_methods_are_refused(people):
    token = preferences.unsubscribe_token(people["samarinda_operator"].pk, [REMINDER])
    assert Client().put(f"/notifications/unsubscribe/{token}/").status_code == 405
    assert not NotificationPreference.objects.exists()
