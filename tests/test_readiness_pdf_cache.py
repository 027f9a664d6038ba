"""The readiness PDF is laid out again only when its content changes (issue 13: < 1 s)."""

import pytest

from itsms.assessment import services as gap
from itsms.models import ClauseAssessment, Role

pytestmark = pytest.mark.django_db


def test_the_readiness_pdf_is_laid_out_again_only_when_its_content_changes(
    org_a, members, monkeypatch
):
    from weasyprint import HTML

    import itsms.assessment.reports as reports

    monkeypatch.setattr(reports, "_cache", reports.OrderedDict())
    layouts = []
    write_pdf = HTML.write_pdf

    def counting(self, *args, **kwargs):
        layouts.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counting)
    admin = members[Role.ADMIN]
    gap.gap_assessment_start(organization=org_a, actor=admin)
    first = reports.readiness_report_pdf(org_a)
    assert reports.readiness_report_pdf(org_a) == first and len(layouts) == 1
    assert reports.readiness_report_pdf(org_a, language="zh-hans") != first
    assert len(layouts) == 2
    row = ClauseAssessment.objects.get(organization=org_a, clause__number="8.6.1")
    gap.assessment_update(assessment=row, actor=admin, status="implemented")
    assert reports.readiness_report_pdf(org_a) != first and len(layouts) == 3
