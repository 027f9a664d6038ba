"""Email invitations: single use, expiring, for the invited address only."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from itsms.models import Invitation, Membership, Role, User
from itsms.tenancy import services

from .factories import PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def link_from(message):
    match = re.search(r"https?://\S+/invitations/([\w-]+)/", message.body)
    assert match, message.body
    return match.group(0), match.group(1)


def invite(client, org, who, email="wang@ehbank.example", role=Role.ADMIN):
    client.force_login(who)
    return client.post(
        reverse("itsms:member_list", kwargs={"org_slug": org.slug}), {"email": email, "role": role}
    )


def test_consultant_invites_an_itsm_lead_who_signs_up_and_becomes_admin(
    client, org_a, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, org_a, consultant)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@ehbank.example"]
    assert org_a.name in message.subject
    url, token = link_from(message)
    assert Invitation.objects.get().token_hash != token  # only the hash is stored

    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    assert "wang@ehbank.example" in page.content.decode()
    response = client.post(
        url, {"full_name": "Wang Wei", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="wang@ehbank.example")
    assert Membership.objects.get(user=user, organization=org_a).role == Role.ADMIN
    # Signed in and on the organisation's page.
    assert client.get(response["Location"]).status_code == 200


def test_an_existing_user_accepts_while_signed_in(client, org_a):
    invited = UserFactory(email="zhao@ehbank.example")
    invitation = InvitationFactory(organization=org_a, email=invited.email, role=Role.CONTRIBUTOR)
    client.force_login(invited)
    url = reverse("itsms:invitation_accept", args=[invitation._token])
    assert "Accept the invitation" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=invited, organization=org_a).role == Role.CONTRIBUTOR


def test_an_existing_user_who_is_signed_out_is_asked_to_sign_in(client, org_a):
    UserFactory(email="zhao@ehbank.example")
    invitation = InvitationFactory(organization=org_a, email="zhao@ehbank.example")
    page = client.get(reverse("itsms:invitation_accept", args=[invitation._token]))
    assert "Sign in to accept" in page.content.decode()
    signup = client.post(
        reverse("itsms:invitation_accept", args=[invitation._token]),
        {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert signup.status_code == 410
    assert not Membership.objects.filter(organization=org_a).exists()


def test_a_used_invitation_cannot_be_reused(client, org_a):
    invited = UserFactory(email="zhao@ehbank.example")
    invitation = InvitationFactory(organization=org_a, email=invited.email)
    services.invitation_accept(token=invitation._token, user=invited)
    client.force_login(invited)
    response = client.post(reverse("itsms:invitation_accept", args=[invitation._token]))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_expired_invitation_is_refused_with_its_date(client, org_a):
    invitation = InvitationFactory(
        organization=org_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(reverse("itsms:invitation_accept", args=[invitation._token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    response = client.post(
        reverse("itsms:invitation_accept", args=[invitation._token]),
        {"full_name": "Late", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_the_invitation_expires_after_fourteen_days(org_a, consultant, settings):
    settings.INVITATION_TTL_DAYS = 14
    invitation, _ = services.invitation_create(
        organization=org_a, actor=consultant, email="a@example.com", role=Role.VIEWER
    )
    delta = invitation.expires_at - timezone.now()
    assert timedelta(days=13, hours=23) < delta <= timedelta(days=14)


def test_a_wrong_email_cannot_accept(client, org_a):
    invitation = InvitationFactory(organization=org_a, email="wang@ehbank.example")
    intruder = UserFactory(email="mallory@example.com")
    client.force_login(intruder)
    response = client.post(reverse("itsms:invitation_accept", args=[invitation._token]))
    assert response.status_code == 400
    assert "wang@ehbank.example" in response.content.decode()
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


@pytest.mark.parametrize("token", ["nope", "x" * 43, "../../etc/passwd", "%00", "😀"])
def test_a_bad_token_answers_404_with_a_message(client, token):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404


def test_a_withdrawn_invitation_cannot_be_used(client, org_a, consultant):
    invitation = InvitationFactory(organization=org_a)
    client.force_login(consultant)
    client.post(
        reverse("itsms:invitation_revoke", kwargs={"org_slug": org_a.slug, "pk": invitation.pk})
    )
    client.logout()
    response = client.get(reverse("itsms:invitation_accept", args=[invitation._token]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_a_new_invitation_replaces_the_pending_one(org_a, consultant):
    first, _ = services.invitation_create(
        organization=org_a, actor=consultant, email="a@example.com", role=Role.VIEWER
    )
    second, _ = services.invitation_create(
        organization=org_a, actor=consultant, email="A@example.com", role=Role.ADMIN
    )
    first.refresh_from_db()
    assert first.status == "revoked" and second.status == "pending"


def test_inviting_an_existing_member_is_a_form_error(client, org_a, consultant, members):
    response = invite(client, org_a, consultant, email=members[Role.VIEWER].email, role=Role.ADMIN)
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invalid_invitation_form_shows_field_errors(client, org_a, consultant):
    response = invite(client, org_a, consultant, email="not-an-email", role="overlord")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address" in body
    assert "Select a valid choice" in body
    assert not Invitation.objects.exists()


def test_signup_with_a_weak_or_mismatched_password_keeps_the_invitation(client, org_a):
    invitation = InvitationFactory(organization=org_a)
    url = reverse("itsms:invitation_accept", args=[invitation._token])
    weak = client.post(url, {"full_name": "A", "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    mismatch = client.post(url, {"full_name": "A", "password1": PASSWORD, "password2": "other"})
    assert mismatch.status_code == 400 and "differ" in mismatch.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_the_api_invites_and_never_returns_the_token(
    api_client, org_a, consultant, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(consultant)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("itsms-api:invitation-list"),
            {"organization": org_a.slug, "email": "chen@huaxin.example", "role": Role.AUDITOR},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert "token" not in response.json() and "token_hash" not in response.json()
    assert response.json()["status"] == "pending"
    assert len(mail.outbox) == 1
    revoke = api_client.post(reverse("itsms-api:invitation-revoke", args=[response.json()["id"]]))
    assert revoke.status_code == 200 and revoke.json()["status"] == "revoked"
    again = api_client.post(reverse("itsms-api:invitation-revoke", args=[response.json()["id"]]))
    assert again.status_code == 400


def test_the_api_refuses_an_invitation_into_someone_elses_organisation(
    api_client, consultant, org_b
):
    api_client.force_authenticate(consultant)
    response = api_client.post(
        reverse("itsms-api:invitation-list"),
        {"organization": org_b.slug, "email": "x@example.com", "role": Role.ADMIN},
        format="json",
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert not Invitation.objects.filter(organization=org_b).exists()
