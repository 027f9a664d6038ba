"""Processes and services as searchable kinds (registered in ``ProcessesConfig.ready``).

A process is found by its clause (number and both headings), purpose, procedure document and
its KPIs; a service by its name, description, customers and status.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itsms.search import reference
from itsms.search.registry import Document, SearchKind, register

from .models import Kpi, ProcessInstance, Service


def process_documents(organization_id: int, ids: list[int] | None):
    rows = ProcessInstance.objects.filter(organization_id=organization_id)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    rows = list(rows.select_related("clause").prefetch_related("kpis"))
    headings = reference.headings() if rows else {}
    documents = []
    for process in rows:
        heading = headings.get(process.clause.number)
        kpis = [f"{k.name} {k.description}".strip() for k in process.kpis.all()]
        documents.append(
            Document(
                organization_id=organization_id,
                object_id=process.pk,
                reference=process.clause.number,
                title=heading.bilingual if heading else str(process.clause.number),
                body="\n".join(
                    t
                    for t in (
                        process.purpose,
                        process.procedure_reference,
                        reference.in_all_languages(process.get_status_display()),
                        *kpis,
                    )
                    if t
                ),
            )
        )
    return documents


def service_documents(organization_id: int, ids: list[int] | None):
    rows = Service.objects.filter(organization_id=organization_id)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return [
        Document(
            organization_id=organization_id,
            object_id=service.pk,
            title=service.name,
            body="\n".join(
                t
                for t in (
                    service.description,
                    service.customers,
                    reference.in_all_languages(service.get_status_display()),
                )
                if t
            ),
        )
        for service in rows
    ]


def _url(name):
    return lambda hit: reverse(
        f"processes:{name}", kwargs={"org_slug": hit.organization_slug, "pk": hit.object_id}
    )


def register_kinds() -> None:
    register(
        SearchKind(
            key="process",
            label=_("Processes"),
            model=ProcessInstance,
            documents=process_documents,
            url=_url("process_detail"),
            display_title=lambda hit: reference.localized(hit.title),
            watch={
                ProcessInstance: lambda p, created: [(p.organization_id, p.pk)],
                Kpi: lambda k, created: [(k.organization_id, k.process_id)],
            },
            order=20,
        )
    )
    register(
        SearchKind(
            key="service",
            label=_("Services"),
            model=Service,
            documents=service_documents,
            url=_url("service_detail"),
            watch={Service: lambda s, created: [(s.organization_id, s.pk)]},
            order=25,
        )
    )
