"""Sessions under the user's control: the account page lists where they are signed in (device,
IP address, last seen) and signs out any or all; a new password or a change of second factors
signs out the others; a sign-in from a browser not seen before is told by email; sign-in by
email ignores case."""

import time

import pyotp
import pytest
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def browser(user_agent, ip="192.0.2.10"):
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def sign_in(client, user, email=None):
    response = client.post(
        reverse("login"), {"username": email or user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def signed_in(client):
    return client.get(reverse("itsms:account")).status_code == 200


def test_the_account_page_lists_sessions_with_device_ip_and_last_seen(consultant):
    laptop, phone = browser(FIREFOX_LINUX, "192.0.2.10"), browser(CHROME_WINDOWS, "198.51.100.7")
    sign_in(laptop, consultant)
    sign_in(phone, consultant)
    page = phone.get(reverse("itsms:account")).content.decode()
    sessions = page.split('data-testid="sessions"')[1]
    assert "Firefox 128 on Linux" in sessions and "192.0.2.10" in sessions
    assert "Chrome 131 on Windows" in sessions and "198.51.100.7" in sessions
    assert sessions.count('data-testid="session"') == 2
    current = next(r for r in sessions.split("<tr") if "This session" in r)
    assert "Chrome 131 on Windows" in current


def test_one_session_is_signed_out_from_another(consultant):
    old_laptop, phone = browser(FIREFOX_LINUX), browser(CHROME_WINDOWS)
    sign_in(old_laptop, consultant)
    sign_in(phone, consultant)
    laptop_session = UserSession.objects.get(user=consultant, user_agent=FIREFOX_LINUX)
    response = phone.post(reverse("itsms:session_end", args=[laptop_session.pk]))
    assert response.status_code == 302
    assert not signed_in(old_laptop)
    assert signed_in(phone)


def test_another_users_session_cannot_be_ended(consultant, members):
    victim = members["viewer"]
    theirs, mine = browser(FIREFOX_LINUX), browser(CHROME_WINDOWS)
    sign_in(theirs, victim)
    sign_in(mine, consultant)
    session = UserSession.objects.get(user=victim)
    assert mine.post(reverse("itsms:session_end", args=[session.pk])).status_code == 404
    assert signed_in(theirs)


def test_all_other_sessions_are_signed_out_at_once(consultant):
    clients = [browser(FIREFOX_LINUX, f"192.0.2.{i}") for i in range(1, 4)]
    for c in clients:
        sign_in(c, consultant)
    response = clients[-1].post(reverse("itsms:sessions_end_others"))
    assert response.status_code == 302
    assert [signed_in(c) for c in clients] == [False, False, True]


def test_a_new_password_signs_out_the_other_sessions_and_is_emailed(
    consultant, django_capture_on_commit_callbacks
):
    other, here = browser(FIREFOX_LINUX), browser(CHROME_WINDOWS)
    sign_in(other, consultant)
    sign_in(here, consultant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("password_change"),
            {
                "oldpassword": PASSWORD,
                "password1": "N3w-passw0rd-2026",
                "password2": "N3w-passw0rd-2026",
            },
        )
    assert response.status_code == 302
    assert signed_in(here) and not signed_in(other)
    assert any(m.to == [consultant.email] for m in mail.outbox)


def test_a_change_of_second_factors_signs_out_the_other_sessions(
    consultant, django_capture_on_commit_callbacks
):
    import re

    other, here = browser(FIREFOX_LINUX), browser(CHROME_WINDOWS)
    sign_in(other, consultant)
    sign_in(here, consultant)
    page = here.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert signed_in(here) and not signed_in(other)


def test_a_sign_in_from_a_new_browser_is_emailed(consultant, django_capture_on_commit_callbacks):
    laptop = browser(FIREFOX_LINUX, "192.0.2.10")
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(laptop, consultant)  # the first sign-in ever: nothing to compare with
        laptop.post(reverse("logout"))
        sign_in(laptop, consultant)  # the same browser again: known
    assert not [m for m in mail.outbox if "New sign-in" in m.subject]
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(CHROME_WINDOWS, "203.0.113.5"), consultant)
    notices = [m for m in mail.outbox if "New sign-in" in m.subject]
    assert len(notices) == 1 and notices[0].to == [consultant.email]
    assert "Chrome 131 on Windows" in notices[0].body and "203.0.113.5" in notices[0].body


def test_last_seen_is_kept_without_a_write_on_every_request(consultant, settings):
    laptop = browser(FIREFOX_LINUX)
    sign_in(laptop, consultant)
    session = UserSession.objects.get(user=consultant)
    first = session.last_seen_at
    laptop.get(reverse("itsms:account"))
    session.refresh_from_db()
    assert session.last_seen_at == first, "written at most every few minutes"
    settings.SESSION_ACTIVITY_INTERVAL_SECONDS = 0
    time.sleep(1.1)
    laptop.get(reverse("itsms:account"), REMOTE_ADDR="192.0.2.99")
    session.refresh_from_db()
    assert session.last_seen_at > first and session.ip == "192.0.2.99"


def test_sign_in_by_email_ignores_case(consultant):
    laptop = browser(FIREFOX_LINUX)
    sign_in(laptop, consultant, email=consultant.email.upper())
    assert signed_in(laptop)
