"""API tokens: hashed at rest, shown once, named, expiring, listed and revoked on the account page,
all revoked when the password changes or is reset; the token endpoint signs in like the page."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from itsms.accounts import tokens
from itsms.models import ApiToken

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

ORGS = reverse("itsms-api:organization-list")


def _bearer(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get(ORGS)


def test_the_token_endpoint_issues_a_named_expiring_token_that_works(api_client, consultant):
    response = api_client.post(
        reverse("itsms-api:auth-token"),
        {"username": consultant.email, "password": PASSWORD, "name": "reporting script"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    assert key.startswith("itsms_") and body["name"] == "reporting script"
    token = ApiToken.objects.get(user=consultant)
    expiry = timezone.now() + timedelta(days=90)
    assert abs((token.expiry - expiry).total_seconds()) < 60
    assert _bearer(api_client, key).status_code == 200
    assert _bearer(api_client, key[:-1] + ("0" if key[-1] != "0" else "1")).status_code == 401


def test_only_a_hash_of_the_key_is_stored(api_client, consultant):
    _token, key = tokens.api_token_create(user=consultant, name="ci")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM itsms_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored
    assert hashlib.sha512(key.encode()).hexdigest() in stored
    assert "authtoken_token" not in connection.introspection.table_names()


def test_an_expired_token_is_refused(api_client, consultant):
    token, key = tokens.api_token_create(user=consultant, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    assert _bearer(api_client, key).status_code == 401
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_garbled_header_is_a_401_not_a_500(api_client, consultant):
    api_client.credentials(HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"))
    assert api_client.get(ORGS).status_code == 401


def test_the_account_page_creates_lists_and_revokes_named_tokens(client, consultant):
    client.force_login(consultant)
    page = client.post(
        reverse("itsms:api_token_create"),
        {"name": "Power BI export", "expires_in_days": "30"},
        follow=True,
    )
    html = page.content.decode()
    key = re.search(r'data-testid="new-token">([^<]+)<', html).group(1)
    token = ApiToken.objects.get(user=consultant)
    assert token.name == "Power BI export"
    assert (token.expiry - timezone.now()).days in (29, 30)
    again = client.get(reverse("itsms:account")).content.decode()
    assert key not in again  # shown once
    assert "Power BI export" in again and token.token_key in again
    client.post(reverse("itsms:api_token_create"), {"name": "second", "expires_in_days": "90"})
    assert ApiToken.objects.filter(user=consultant).count() == 2
    client.post(reverse("itsms:api_token_revoke"), {"token": token.digest})
    assert list(ApiToken.objects.filter(user=consultant).values_list("name", flat=True)) == [
        "second"
    ]
    client.post(reverse("itsms:api_tokens_revoke_all"))
    assert not ApiToken.objects.filter(user=consultant).exists()


def test_a_token_without_a_name_is_refused_on_the_page(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("itsms:api_token_create"), {"name": "", "expires_in_days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_users_token(client, consultant, members):
    token, _key = tokens.api_token_create(user=members["viewer"], name="viewer's")
    client.force_login(consultant)
    client.post(reverse("itsms:api_token_revoke"), {"token": token.digest})
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_changing_the_password_revokes_every_token(client, api_client, consultant):
    _token, key = tokens.api_token_create(user=consultant, name="a")
    tokens.api_token_create(user=consultant, name="b")
    client.force_login(consultant)
    response = client.post(
        reverse("password_change"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=consultant).exists()
    assert _bearer(api_client, key).status_code == 401


def test_resetting_the_password_revokes_every_token(
    client, consultant, django_capture_on_commit_callbacks
):
    tokens.api_token_create(user=consultant, name="a")
    with django_capture_on_commit_callbacks(execute=True):  # emails leave after the commit
        client.post(reverse("password_reset"), {"email": consultant.email.upper()})
    link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": "a-new-long-passphrase-42", "password2": "a-new-long-passphrase-42"},
    )
    assert done.status_code == 302
    assert not ApiToken.objects.filter(user=consultant).exists()


def test_saving_a_user_without_a_new_password_keeps_the_tokens(consultant):
    tokens.api_token_create(user=consultant, name="a")
    consultant.full_name = "Renamed"
    consultant.save()
    assert ApiToken.objects.filter(user=consultant).count() == 1


def test_the_command_prints_a_working_key(api_client, consultant, capsys):
    from django.core.management import call_command

    call_command("api_token", consultant.email.upper(), "--name", "fuzz", "--days", "1")
    key = capsys.readouterr().out.strip()
    assert _bearer(api_client, key).status_code == 200
