"""Builders of one row of every tenant-owned model, so the sweep can plant them in B.

A tenant-owned model without a builder fails ``test_every_tenant_model_has_a_builder``:
a new model joins the isolation sweep by adding one line here.
"""

import importlib

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from itsms.models import (
    Clause,
    ClauseAssessment,
    Evidence,
    EvidenceVersion,
    GapAssessment,
    IdentityProvider,
    ImportPreview,
    Invitation,
    Membership,
    Notification,
    Organization,
    OrganizationArchive,
    ReadinessSnapshot,
    Role,
    SearchDocument,
    SSODomain,
    TenantModel,
)

from ..factories import InvitationFactory, MembershipFactory, UserFactory

MARKER = "secretb"  # every row planted in organisation B carries it; A must never see it


def _membership(org, marker):
    user = UserFactory(email=f"{marker}-member@{org.slug}.example", full_name=f"{marker} Member")
    return MembershipFactory(organization=org, user=user, role=Role.CONTRIBUTOR)


def _invitation(org, marker):
    return InvitationFactory(organization=org, email=f"{marker}-invitee@{org.slug}.example")


def _gap_assessment(org, marker):
    return GapAssessment.objects.create(organization=org)


def _clause_assessment(org, marker):
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    return ClauseAssessment.objects.create(
        organization=org,
        clause=clause,
        status="partial",
        notes=f"{marker} incident notes",
        other_party="external_supplier",
        other_party_name=f"{marker} Outsourcing Ltd",
    )


def _evidence(org, marker):
    """An evidence item with one real stored file (so its download routes answer)."""
    from itsms.evidence import services as evidence_services

    existing = Evidence.objects.filter(organization=org, title__startswith=marker).first()
    if existing is not None:
        return existing
    owner = UserFactory(
        email=f"{marker}-evidence@{org.slug}.example", full_name=f"{marker} Evidence Owner"
    )
    MembershipFactory(organization=org, user=owner, role=Role.CONTRIBUTOR)
    return evidence_services.evidence_create(
        organization=org,
        actor=owner,
        upload=SimpleUploadedFile(
            f"{marker}-incident-procedure.txt", f"{marker} incident procedure\n".encode()
        ),
        title=f"{marker} incident procedure",
        description=f"{marker} how incidents are handled",
        kind="procedure",
        clauses=[Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")],
        change_note=f"{marker} first issue",
    )


def _evidence_version(org, marker):
    return _evidence(org, marker).current_version


def _notification(org, marker):
    user = UserFactory(
        email=f"{marker}-notified@{org.slug}.example", full_name=f"{marker} Notified"
    )
    MembershipFactory(organization=org, user=user, role=Role.VIEWER)
    return Notification.objects.create(organization=org, user=user, text=f"{marker} expired")


def stored_export(org, marker, folder: str) -> dict:
    """A small stored ZIP standing for a built export (its routes serve a real file)."""
    import hashlib
    import io
    import zipfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", f'{{"note": "{marker} export"}}')
    data = buffer.getvalue()
    name = default_storage.save(f"{folder}/{org.pk}/{marker}.zip", ContentFile(data))
    return {
        "status": "ready",
        "language": "en",
        "file": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _archive(org, marker):
    return OrganizationArchive.objects.create(
        organization=org, **stored_export(org, marker, "archives")
    )


def _snapshot(org, marker):
    from datetime import date

    return ReadinessSnapshot.objects.create(
        organization=org, day=date(2026, 1, 1), self_assessed=37, evidenced=11
    )


def _import_preview(org, marker):
    return ImportPreview.objects.create(
        organization=org,
        kind="gap_assessment",
        file_name=f"{marker}-gap.xlsx",
        rows=[{"line": 2, "key": "4.1", "outcome": "refused", "changes": {}, "reason": marker}],
    )


def _identity_provider(org, marker):
    """The organisation's OpenID Connect provider (with an encrypted secret) and one domain."""
    from itsms.shared import crypto

    existing = IdentityProvider.objects.filter(organization=org).first()
    if existing is not None:
        return existing
    provider = IdentityProvider.objects.create(
        organization=org,
        protocol=IdentityProvider.Protocol.OIDC,
        name=f"{marker} sign-in",
        issuer_url=f"https://idp.{marker}.example/realms/{marker}",
        client_id=f"{marker}-client",
        client_secret_encrypted=crypto.encrypt(f"{marker}-client-secret"),
        group_roles=[[f"{marker}-itsm", Role.CONTRIBUTOR]],
    )
    SSODomain.objects.create(
        organization=org, identity_provider=provider, domain=f"{marker}-{org.slug}.example"
    )
    return provider


def _sso_domain(org, marker):
    return _identity_provider(org, marker).domains.first()


def _search_document(org, marker):
    """The index's document of the planted evidence (it carries the marker in its text): the
    index is written by the signals of the rows the builders plant."""
    evidence = _evidence(org, marker)
    return SearchDocument.objects.get(organization=org, kind="evidence", object_id=evidence.pk)


BUILDERS = {
    ImportPreview: _import_preview,
    Membership: _membership,
    IdentityProvider: _identity_provider,
    SSODomain: _sso_domain,
    Invitation: _invitation,
    GapAssessment: _gap_assessment,
    ClauseAssessment: _clause_assessment,
    Evidence: _evidence,
    EvidenceVersion: _evidence_version,
    Notification: _notification,
    ReadinessSnapshot: _snapshot,
    SearchDocument: _search_document,
    OrganizationArchive: _archive,
}
# Each app contributes builders of its own models in ``<app>/tests/builders.py`` as
# ``BUILDERS = {Model: callable(org, marker) -> instance}``; they are collected here.
for _app in ("processes", "audits", "sms", "certification"):
    try:
        _module = importlib.import_module(f"{_app}.tests.builders")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"{_app}.tests", f"{_app}.tests.builders"):
            raise
        continue
    BUILDERS.update(_module.BUILDERS)


def tenant_models():
    """Concrete models owned by an organisation (history shadow tables excluded)."""
    found = []
    for model in apps.get_models():
        if model is Organization or model._meta.abstract:
            continue
        if model.__name__.startswith("Historical"):
            continue  # django-simple-history rows are read only through their owner
        if issubclass(model, TenantModel):
            found.append(model)
    return found


def plant(org, marker=MARKER):
    """One row of every tenant model in ``org``, tagged ``marker``; returns {model: instance}."""
    return {model: builder(org, marker) for model, builder in BUILDERS.items()}
