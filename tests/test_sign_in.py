"""Signing in with an email address, and the brute-force lockout (django-axes)."""

import pytest
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_lands_on_the_portfolio(client, consultant):
    response = client.post(
        reverse("login"), {"username": consultant.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("itsms:portfolio")
    assert "Your organisations" in response.content.decode()


def test_a_wrong_password_shows_an_error(client, consultant):
    response = client.post(reverse("login"), {"username": consultant.email, "password": "nope"})
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


TOKEN = "itsms-api:auth-token"


def test_sign_in_by_email_ignores_case_on_the_page_and_the_api(client, api_client, consultant):
    shouted = consultant.email.upper()
    response = client.post(reverse("login"), {"username": shouted, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    api = api_client.post(reverse(TOKEN), {"username": shouted, "password": PASSWORD})
    assert api.status_code == 200 and api.json()["token"]


def test_repeated_failures_lock_the_account_out(client, consultant, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": consultant.email, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": consultant.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    html = locked.content.decode()
    assert "Too many failed sign-ins. Try again in 15 minutes." in html
    assert 'name="username"' in html  # the sign-in page, not a bare text answer


def test_changing_the_case_of_the_email_does_not_reset_the_count(client, consultant, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for email in (consultant.email, consultant.email.upper(), consultant.email.title()):
        client.post(reverse("login"), {"username": email, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": consultant.email, "password": PASSWORD})
    assert locked.status_code == 429


def test_the_token_endpoint_is_locked_out_like_the_page(client, api_client, consultant, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        refused = api_client.post(reverse(TOKEN), {"username": consultant.email, "password": "x"})
        assert refused.status_code == 400
    third = api_client.post(reverse(TOKEN), {"username": consultant.email, "password": "x"})
    assert third.status_code == 429  # the failure that reaches the limit is answered as locked
    locked = api_client.post(reverse(TOKEN), {"username": consultant.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Too many failed sign-ins. Try again in 15 minutes."}
    assert locked["Retry-After"] == "900"
    page = client.post(reverse("login"), {"username": consultant.email, "password": PASSWORD})
    assert page.status_code == 429  # failures through the API count for the page too
    assert locked.json()["detail"] in page.content.decode()


def test_the_token_endpoint_speaks_the_readers_language(api_client, consultant, settings):
    settings.AXES_FAILURE_LIMIT = 1
    api_client.post(reverse(TOKEN), {"username": consultant.email, "password": "x"})
    locked = api_client.post(
        reverse(TOKEN),
        {"username": consultant.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert locked.status_code == 429
    assert "Too many" not in locked.json()["detail"]


def test_one_password_tried_on_many_accounts_locks_the_address(
    client, api_client, members, settings
):
    """Spraying: one failure per account from one address, the address is locked out."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 4
    for role in ("admin", "contributor", "auditor", "viewer"):
        client.post(reverse("login"), {"username": members[role].email, "password": "Spring2026"})
    consultant = members["consultant"]
    page = client.post(reverse("login"), {"username": consultant.email, "password": PASSWORD})
    assert page.status_code == 429 and "_auth_user_id" not in client.session
    api = api_client.post(reverse(TOKEN), {"username": consultant.email, "password": PASSWORD})
    assert api.status_code == 429
    other_address = client.post(
        reverse("login"),
        {"username": consultant.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other_address.status_code == 302


def test_a_lockout_is_per_account_not_per_office(client, consultant, members, settings):
    """Many users of one client share an IP address (NAT): one locked account locks no one else."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": consultant.email, "password": "wrong"})
    colleague = members["viewer"]
    response = client.post(reverse("login"), {"username": colleague.email, "password": PASSWORD})
    assert response.status_code == 302
