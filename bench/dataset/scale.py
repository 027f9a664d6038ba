"""How big the data set is: the issue's full scale, and a tiny one for CI."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEED = 200_001  # the data set is the same on every machine and every run


@dataclass(frozen=True)
class Scale:
    """Row counts of the data set. ``full`` is the scale of issue 13."""

    name: str
    #: the consultant's other client organisations (the consultant is in clients + 1)
    clients: int
    evidence: int
    versions_per_evidence: int
    audits: int
    findings: int
    big_audit_findings: int
    #: corrective actions of the big organisation, and how many of them are open
    actions: int
    open_actions: int
    #: corrective actions spread over the other client organisations
    client_actions: int
    services: int
    kpis_per_process: int
    kpi_months: int
    #: organisations that only the reminder scan reads, each with certificates and open NCs
    scan_organizations: int
    certificates_per_scan_org: int
    open_ncs_per_scan_org: int
    #: evidence items of the organisation the search rows search (issue 16: 10,000)
    search_evidence: int
    samples: int
    pdf_samples: int

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def scan_certificates(self) -> int:
        return self.scan_organizations * self.certificates_per_scan_org

    @property
    def scan_open_ncs(self) -> int:
        return self.scan_organizations * self.open_ncs_per_scan_org


FULL = Scale(
    name="full",
    clients=202,
    evidence=2_000,
    versions_per_evidence=5,
    audits=40,
    findings=2_000,
    big_audit_findings=600,
    actions=1_500,
    open_actions=880,
    client_actions=712,
    services=50,
    kpis_per_process=2,
    kpi_months=24,
    scan_organizations=800,
    certificates_per_scan_org=100,
    open_ncs_per_scan_org=25,
    search_evidence=10_000,
    samples=20,
    pdf_samples=20,
)

SMALL = Scale(
    name="small",
    clients=4,
    evidence=30,
    versions_per_evidence=2,
    audits=4,
    findings=60,
    big_audit_findings=30,
    actions=40,
    open_actions=20,
    client_actions=8,
    services=4,
    kpis_per_process=1,
    kpi_months=3,
    scan_organizations=5,
    certificates_per_scan_org=8,
    open_ncs_per_scan_org=2,
    search_evidence=50,
    samples=3,
    pdf_samples=2,
)

SCALES = {s.name: s for s in (FULL, SMALL)}
