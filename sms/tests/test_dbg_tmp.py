from sms.tests.test_query_counts import *  # noqa
from django.db import connection
from django.test.utils import CaptureQueriesContext

def test_dbg(client, org_a, consultant):
    client.force_login(consultant)
    grow(org_a, 10)
    from sms.models import Risk
    row = Risk.objects.filter(organization=org_a).order_by("pk").first()
    url = reverse("sms:risk_detail", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    with CaptureQueriesContext(connection) as a:
        client.get(url)
    with CaptureQueriesContext(connection) as b:
        client.get(url)
    sa=[q["sql"][:150] for q in a.captured_queries]; sb=[q["sql"][:150] for q in b.captured_queries]
    for q in sa:
        if q not in sb: print("ONLY FIRST:", q)
    assert 0
