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


def test_repeated_failures_lock_the_account_out(client, consultant, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": consultant.email, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": consultant.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_account_not_per_office(client, consultant, members, settings):
    """Many users of one client share an IP address (NAT): one locked account locks no one else."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": consultant.email, "password": "wrong"})
    colleague = members["viewer"]
    response = client.post(reverse("login"), {"username": colleague.email, "password": PASSWORD})
    assert response.status_code == 302
