"""The clause pages and "What changed in 2018", as a reader of either language meets them."""

import pytest
from django.conf import settings
from django.urls import reverse

from itsms.models import Clause, EditionChange
from itsms.standards.reference import PRIMARY

pytestmark = pytest.mark.django_db


def page(client, url, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def clause_url(number, code=PRIMARY):
    return reverse("itsms:clause_detail", kwargs={"code": code, "number": number})


@pytest.fixture
def reader(client, consultant):
    client.force_login(consultant)
    return client


def test_research_notes_are_not_on_the_clause_page(reader):
    html = page(reader, clause_url("6"))
    assert "S11" not in html and "53605037969" not in html and "wrongly" not in html
    html = page(reader, clause_url("6.2.1"))
    assert "recollection" not in html and "Variants seen" not in html


def test_research_notes_are_not_in_the_api(api_client, consultant):
    api_client.force_authenticate(consultant)
    clause = Clause.objects.get(standard__code=PRIMARY, number="6")
    body = api_client.get(reverse("itsms-api:clause-detail", args=[clause.pk])).content.decode()
    assert "S11" not in body and "research" not in body
    corr = api_client.get(reverse("itsms-api:clause-detail", args=[clause.pk])).json()
    harmonized = [c for c in corr["correlations"] if c["kind"] == "harmonized"]
    assert {c["relation_label"] for c in harmonized} == {"same clause"}


def test_a_correspondence_reads_in_plain_words_in_both_languages(reader):
    html = page(reader, clause_url("10.1"))
    assert "same topic under another number" in html  # ISO 9001 numbers it 10.2
    assert '<span class="chip">same</span>' not in html
    assert "different-number" not in html
    html = page(reader, clause_url("5.2.1"), "zh-hans")
    assert "主题相同，该标准未细分" in html and "same-topic" not in html


def test_the_2011_correlation_note_is_our_own_and_translated(reader):
    html = page(reader, clause_url("8.6.2"))
    assert "Separated into incident management and service request management." in html
    html = page(reader, clause_url("8.6.2"), "zh-hans")
    assert "拆分为事件管理和服务请求管理。" in html
    assert "Split into" not in html


def test_a_new_clause_says_so_and_names_what_touched_on_it(reader):
    html = page(reader, clause_url("8.4.2"))
    assert 'data-testid="new-in-2018"' in html
    assert "ISO/IEC 20000-1:2011 clauses that touched on it" in html
    assert "demand for services is determined and forecast" in html
    html = page(reader, clause_url("6.2.1"))
    assert 'data-testid="new-in-2018"' not in html


def test_the_tree_flags_exactly_the_new_clauses(reader):
    html = page(reader, reverse("itsms:clause_tree", kwargs={"code": PRIMARY}))
    flagged = html.count('<span class="chip new">')
    assert flagged == Clause.objects.filter(standard__code=PRIMARY, new_in_edition=True).count()
    assert flagged == 8
    assert reverse("itsms:changes_2018") in html


def test_the_guidance_speaks_the_2018_edition(reader):
    for number, gone, present in [
        ("8.2.6", "CMDB", "configuration information"),
        ("8.5.3", "release policy", "release types"),
        ("8.4.3", "Maintain a capacity plan", "no longer mandatory"),
        ("4.3", "justify any exclusions", "none may be excluded"),
    ]:
        html = page(reader, clause_url(number))
        guidance = html.split("<h2>Guidance</h2>", 1)[1].split("</section>", 1)[0]
        assert gone not in guidance and present in guidance, number


def test_chinese_headings_and_guidance_on_the_clause_page(reader):
    html = page(reader, clause_url("8.6.1"), "zh-hans")
    assert "事件管理" in html and "Incident management" not in html
    assert 'data-testid="translation-note"' in html  # presented as our own translation
    assert "2011" in html and "事件和服务请求管理" in html  # the 2011 heading in Chinese too
    html = page(reader, clause_url("8.1", code="iso20000-1-2011"), "zh-hans")
    assert "事件和服务请求管理" in html and "Incident and service request management" not in html


def test_what_changed_in_2018_links_each_change_to_its_clauses(reader):
    html = page(reader, reverse("itsms:changes_2018"))
    for change in EditionChange.objects.prefetch_related("clauses__standard"):
        assert f'id="change-{change.key}"' in html
        for clause in change.clauses.all():
            assert clause_url(clause.number, clause.standard.code) in html
    section = html.split('id="change-configuration-information"', 1)[1].split("</div>", 1)[0]
    assert clause_url("8.2.6") in section and clause_url("9.1", "iso20000-1-2011") in section
    assert "ISO 14001" in html and "ISO 22301" in html


def test_what_changed_in_2018_speaks_chinese(reader):
    html = page(reader, reverse("itsms:changes_2018"), "zh-hans")
    assert "高阶结构" in html and "配置管理数据库改为配置信息" in html
    assert "服务管理体系" in html and "Harmonized structure" not in html


def test_a_clause_concerned_links_to_its_change(reader):
    html = page(reader, clause_url("8.5.3"))
    assert 'data-testid="changes-2018"' in html
    assert reverse("itsms:changes_2018") + "#change-release-types" in html
    html = page(reader, clause_url("8.5.1.2"))
    assert 'data-testid="changes-2018"' not in html


def test_the_changes_page_has_constant_queries(reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page(reader, reverse("itsms:changes_2018"))
