"""The rows of the table, and their measurement interleaved with the trivial request T.

T is ``GET /api/v1/`` with the consultant's API token: the whole stack (gunicorn, middleware,
authentication, throttling, one small JSON body) with no work behind it. Before every sample of
a row the bench times one T, so each row has its own T median taken in the same moments: a
slow phase of a shared machine slows both, and the ratio stays honest. Rows go round-robin, so
no row is measured in one burst.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .client import Client
from .report import Result, Target

T_PATH = "/api/v1/"
STYLESHEET = re.compile(rb'href="(/static/[^"]+\.css)"')


@dataclass(frozen=True)
class Probe:
    label: str
    path: str
    target: Target
    token: bool = False  # API token instead of the session cookie
    content_type: str = ""  # expected, e.g. application/pdf


def pages(ids: dict) -> list[Probe]:
    slug, audit = ids["big_slug"], ids["big_audit_pk"]
    org = f"/o/{slug}"
    orgs = ids["consultant_organizations"]
    return [
        Probe("dashboard", f"{org}/dashboard/", Target(ratio=5, queries=15)),
        Probe("gap assessment tree", f"{org}/assessment/", Target(ratio=8)),
        Probe("audit list", f"{org}/audits/", Target(ratio=5)),
        Probe(
            f"audit detail, {ids['big_audit_findings']} findings",
            f"{org}/audits/{audit}/",
            Target(ratio=5),
        ),
        Probe("organisation calendar", f"{org}/calendar/", Target(ratio=5)),
        Probe("portfolio calendar", "/calendar/", Target(ratio=5)),
        Probe(f"consultant portfolio, {orgs} orgs", "/", Target(ratio=5)),
        Probe("evidence register", f"{org}/evidence/", Target(ratio=5)),
        *search(ids),
    ]


#: Issue 16: search answers in under 200 ms on 10,000 evidence items.
SEARCH_TARGET = Target(ms=200)
SEARCHES = (("事件管理", "%E4%BA%8B%E4%BB%B6%E7%AE%A1%E7%90%86"), ("incident", "incident"))


def search(ids: dict) -> list[Probe]:
    slug, count = ids["search_slug"], ids["search_evidence"]
    probes = []
    for words, quoted in SEARCHES:
        probes += [
            Probe(
                f"search {words}, {count:,} evidence",
                f"/o/{slug}/search/?q={quoted}",
                SEARCH_TARGET,
            ),
            Probe(
                f"search {words}, evidence only",
                f"/o/{slug}/search/?q={quoted}&kind=evidence",
                SEARCH_TARGET,
            ),
        ]
    orgs = ids["consultant_organizations"]
    probes.append(
        Probe(f"search 事件管理, all {orgs} orgs", f"/search/?q={SEARCHES[0][1]}", SEARCH_TARGET)
    )
    probes.append(
        Probe(
            f"API search 事件管理, {count:,} evidence",
            f"/api/v1/search/?organization={slug}&q={SEARCHES[0][1]}",
            SEARCH_TARGET,
            token=True,
        )
    )
    return probes


def pdfs(ids: dict) -> list[Probe]:
    org = f"/o/{ids['big_slug']}"
    return [
        Probe(
            f"audit report PDF, {ids['big_audit_findings']} findings",
            f"{org}/audits/{ids['big_audit_pk']}/report.pdf",
            Target(ms=3000),
            content_type="application/pdf",
        ),
        Probe(
            "readiness PDF",
            f"{org}/dashboard/report.pdf",
            Target(ms=1000),
            content_type="application/pdf",
        ),
    ]


def api_lists(ids: dict) -> list[Probe]:
    """Every list route of the API, from the URL resolver, with ``?organization=``."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    names = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or ""
                walk(p.url_patterns, f"{namespace}:{ns}".strip(":") if ns else namespace)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list"):
                keywords = getattr(p.pattern, "converters", None) or p.pattern.regex.groupindex
                if namespace.endswith("-api") and not keywords:
                    names.append(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns)
    probes = []
    for name in dict.fromkeys(names):
        path = reverse(name)
        if "format" in path or not path.startswith("/api/") or path == "/api/v1/search/":
            continue
        query = f"?organization={ids['big_slug']}"
        probes.append(Probe(f"API {path}", path + query, Target(ratio=4), token=True))
    return sorted(probes, key=lambda p: p.path)


def stylesheet_probe(client: Client, dashboard: str) -> Probe | None:
    """A static file the pages link (served by WhiteNoise, as in production)."""
    match = STYLESHEET.search(client.get(dashboard).body)
    if not match:
        return None
    return Probe("static file (stylesheet)", match.group(1).decode(), Target())


class Meter:
    """Times probes round-robin, each sample right after one T."""

    def __init__(self, client: Client, token: str):
        self.client = client
        self.token = token
        self.t_all: list[float] = []

    def fetch(self, probe: Probe):
        return self.client.get(probe.path, token=self.token if probe.token else None)

    def _problem(self, probe: Probe, response) -> str:
        if response.status != 200:
            return f"HTTP {response.status}"
        got = response.headers.get("content-type", "")
        if probe.content_type and not got.startswith(probe.content_type):
            return f"answered {got}"
        return ""

    def run(self, probes: list[Probe], samples: int, warmup: int = 2, log=print) -> list[Result]:
        results = {p.label: Result(p.label, p.target) for p in probes}
        data = {p.label: {"ms": [], "t": [], "q": []} for p in probes}
        live = []
        for probe in probes:
            response = self.fetch(probe)
            problem = self._problem(probe, response)
            if problem:
                results[probe.label].error = problem
            else:
                live.append(probe)
        for _ in range(warmup - 1):
            for probe in live:
                self.fetch(probe)
        for i in range(samples):
            for probe in live:
                t = self.client.get(T_PATH, token=self.token)
                response = self.fetch(probe)
                problem = self._problem(probe, response)
                if problem:
                    results[probe.label].error = problem
                    continue
                self.t_all.append(t.ms)
                row = data[probe.label]
                row["t"].append(t.ms)
                row["ms"].append(response.ms)
                row["q"].append(response.queries)
                results[probe.label].bytes = len(response.body)
            log(f"  round {i + 1}/{samples}")
        for probe in live:
            result, row = results[probe.label], data[probe.label]
            if not row["ms"]:
                continue
            result.samples = len(row["ms"])
            result.median_ms = statistics.median(row["ms"])
            result.t_ms = statistics.median(row["t"])
            counts = [q for q in row["q"] if q is not None]
            if counts:
                result.queries = max(counts)
                if min(counts) != max(counts):
                    result.note = f"queries varied {min(counts)}–{max(counts)} between samples"
        return [results[p.label] for p in probes]

    def t_result(self) -> Result:
        response = self.client.get(T_PATH, token=self.token)
        median = statistics.median(self.t_all) if self.t_all else None
        return Result(
            "T: GET /api/v1/ (token)",
            median_ms=median,
            t_ms=median,
            queries=response.queries,
            bytes=len(response.body),
            samples=len(self.t_all),
            error="" if response.status == 200 else f"HTTP {response.status}",
        )
