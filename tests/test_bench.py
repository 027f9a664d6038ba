"""The benchmark's own machinery (bench/): no timings here, only what makes its table true.

The timings themselves live in ``bin/bench``; CI runs ``bin/bench --small`` to prove it works.
"""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.dataset.build import build
from bench.dataset.scale import SMALL
from bench.report import Result, Target, exit_code, table
from itsms.models import ClauseAssessment, Evidence, EvidenceVersion, Organization


def test_check_fails_only_when_a_target_is_missed():
    met = Result("dashboard", Target(ratio=5, queries=15), median_ms=20, t_ms=5, queries=12)
    missed = Result("audit list", Target(ratio=5), median_ms=60, t_ms=5)
    assert met.verdict == "OK" and missed.verdict == "MISS"
    assert exit_code([met], check=True) == 0
    assert exit_code([met, missed], check=True) == 1
    assert exit_code([met, missed], check=False) == 0  # CI's --small: print, do not judge
    assert exit_code([met, Result("PDF", error="HTTP 500")], check=False) == 2


def test_the_table_shows_the_ratio_beside_the_target():
    text = table(
        [Result("dashboard", Target(ratio=5, queries=15), median_ms=240, t_ms=5, queries=23)]
    )
    row = next(line for line in text.splitlines() if line.startswith("| dashboard"))
    assert "48.0×" in row and "≤ 5× T, ≤ 15 q" in row and "23" in row and "MISS" in row


@pytest.mark.django_db
def test_the_query_count_header_counts_every_statement_of_the_request(
    client, settings, consultant, org_a
):
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    client.force_login(consultant)
    url = reverse("itsms:dashboard", kwargs={"org_slug": org_a.slug})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert int(response["X-Bench-Queries"]) == len(queries.captured_queries) > 0


@pytest.mark.django_db
def test_the_small_data_set_builds_valid_rows_with_real_files(tmp_path):
    manifest = build(SMALL, str(tmp_path), log=lambda message: None)  # validates a sample

    big = Organization.objects.get(slug=manifest["ids"]["big_slug"])
    assert ClauseAssessment.objects.filter(organization=big).count() == 57
    assert Evidence.objects.filter(organization=big).count() == SMALL.evidence
    version = EvidenceVersion.objects.filter(organization=big).first()
    stored = (tmp_path / version.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == version.sha256 and len(stored) == version.size
    assert manifest["counts"]["certification.Certificate"] >= SMALL.scan_certificates
