"""Journey 1, step 3 in a real browser: the consultant walks all 57 requirement clauses of the
gap assessment from the keyboard, without pauses — status, maturity, owner, target date, the
other party now and then, notes of two lines — in English and again in Chinese. Then the page
is reloaded and every field compared, and the clauses' histories are read back: every value
landed on the clause it was typed on (no notes of 8.2.3 in 4.1), and nothing was dropped.
"""

import threading
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from itsms.assessment import services as gap
from itsms.models import ClauseAssessment, OtherParty, Role, Status

from .factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from .test_browser import SHOTS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]

LOCALES = {"en": "en-US", "zh-hans": "zh-CN"}
STATUSES = [Status.PLANNED, Status.PARTIAL, Status.IMPLEMENTED]
OTHER_PARTIES = [value for value in OtherParty.values if value]


def plan_for(index, number, owners, language):
    """What is typed on the clause at ``index`` (every row changes every field)."""
    other = OTHER_PARTIES[(index // 6) % len(OTHER_PARTIES)] if index % 6 == 5 else ""
    supplier = f"供应商 {number}" if language == "zh-hans" else f"Supplier {number}"
    return {
        "status": str(STATUSES[index % 3]),
        "maturity": str(index % 5 + 1),
        "owner": str(owners[index % len(owners)].pk),
        "target_date": (date(2027, 1, 4) + timedelta(days=3 * index)).isoformat(),
        "other_party": other,
        "other_party_name": supplier if other else "",
        "notes": f"{number}: gap seen by Li\n第二行 second line {index}",
    }


@pytest.fixture
def bank(db):
    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    li = UserFactory(email="li@northbridge.example", full_name="Li Na")
    MembershipFactory(organization=org, user=li, role=Role.CONSULTANT)
    owners = [li]
    for email, name, role in (
        ("wang@ehbank.example", "Wang Fang", Role.ADMIN),
        ("zhao@ehbank.example", "Zhao Lei", Role.CONTRIBUTOR),
        ("zhou@ehbank.example", "Zhou Min", Role.VIEWER),
    ):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(organization=org, user=user, role=role)
        owners.append(user)
    gap.gap_assessment_start(organization=org, actor=li)
    return org, li, owners


@pytest.fixture
def one_request_at_a_time(live_server):
    """The rows save in parallel, and the test server's request threads share the one
    connection of the in-memory test database (SQLite answers "table is locked"): serve one
    request at a time, as a gunicorn sync worker does."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    lock = threading.Lock()

    def serial(environ, start_response):
        with lock:
            return app(environ, start_response)

    httpd.set_app(serial)
    yield live_server
    httpd.set_app(app)


def date_keys(page):
    """The digits to type a date in this browser's date field (its order follows the
    browser's locale): found by typing into a field of its own."""
    probe = page.evaluate_handle(
        "() => { const i = document.createElement('input'); i.type = 'date';"
        " document.body.appendChild(i); return i; }"
    )
    orders = {"mdy": "11222026", "dmy": "22112026", "ymd": "20261122"}
    found = None
    for order, digits in orders.items():
        probe.evaluate("i => { i.value = ''; i.focus(); }")
        page.keyboard.type(digits)
        if probe.evaluate("i => i.value") == "2026-11-22":
            found = order
            break
    probe.evaluate("i => i.remove()")
    assert found, "could not type a date into this browser's date field"

    def keys(iso):
        y, m, d = iso.split("-")
        return {"mdy": m + d + y, "dmy": d + m + y, "ymd": y + m + d}[found]

    return keys


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id, most=4):
    """Tab until ``element_id`` has the focus (a date field and a row's link take a stop or
    two of their own); fail if the focus went anywhere else, e.g. back to the top."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if active_id(page) == element_id:
            return
    raise AssertionError(f"Tab did not reach {element_id}; the focus is on {active_id(page)!r}")


def choose(page, index):
    """Pick the option at ``index`` of the focused select from the keyboard (each key press
    is a change of its own, saved at once: a burst of changes on the row)."""
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowDown")


def option_values(page, select_id):
    return page.eval_on_selector(f"#{select_id}", "s => Array.from(s.options, o => o.value)")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_whole_assessment_typed_from_the_keyboard_lands_where_it_was_typed(
    browser, one_request_at_a_time, bank, language
):
    live_server = one_request_at_a_time
    org, li, owners = bank
    context = browser.new_context(locale=LOCALES[language], viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(li.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"{live_server.url}/o/{org.slug}/assessment/")
    root = page.locator("[data-assessment]")
    expect(root).to_have_attribute("data-pending", "0")  # the script is running

    rows = list(
        ClauseAssessment.objects.filter(organization=org)
        .select_related("clause")
        .order_by("clause__order")
    )
    assert len(rows) == 57
    plans = {
        a.clause.number: plan_for(i, a.clause.number, owners, language) for i, a in enumerate(rows)
    }
    keys = date_keys(page)
    first = "a-" + rows[0].clause.number.replace(".", "-")
    statuses = option_values(page, f"{first}-status")
    owner_options = option_values(page, f"{first}-owner")
    parties = option_values(page, f"{first}-other_party")

    page.focus(f"#{first}-status")
    for index, assessment in enumerate(rows):
        number = assessment.clause.number
        plan = plans[number]
        key = "a-" + number.replace(".", "-")
        if index:
            tab_to(page, f"{key}-status")
        choose(page, statuses.index(plan["status"]))
        tab_to(page, f"{key}-maturity")
        choose(page, int(plan["maturity"]))
        tab_to(page, f"{key}-owner")
        choose(page, owner_options.index(plan["owner"]))
        tab_to(page, f"{key}-target_date")
        page.keyboard.type(keys(plan["target_date"]))
        tab_to(page, f"{key}-other_party")
        if plan["other_party"]:
            choose(page, parties.index(plan["other_party"]))
            tab_to(page, f"{key}-other_party_name")
            page.keyboard.type(plan["other_party_name"])
        tab_to(page, f"{key}-notes")
        page.keyboard.type(plan["notes"])
        assert active_id(page) == f"{key}-notes"  # still here while earlier rows were saved
    page.keyboard.press("Tab")  # leave the last notes: its change is sent

    expect(root).to_have_attribute("data-pending", "0", timeout=60_000)
    problems = page.eval_on_selector_all(
        "[data-row-message].error",
        "els => els.map(e => e.closest('form').dataset.clause + ': ' + e.textContent)",
    )
    assert not problems
    expect(root).to_have_attribute("data-failed", "0")
    expect(page.locator("[data-row-message].error")).to_have_count(0)
    expect(page.locator("[data-row-message].ok")).to_have_count(57)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"assessment-keyboard-{language}.png"))

    # The database holds every value on its own clause.
    saved = {
        a.clause.number: a
        for a in ClauseAssessment.objects.filter(organization=org).select_related("clause")
    }
    for number, plan in plans.items():
        a = saved[number]
        got = {
            "status": a.status,
            "maturity": str(a.maturity),
            "owner": str(a.owner_id),
            "target_date": a.target_date.isoformat() if a.target_date else "",
            "other_party": a.other_party,
            "other_party_name": a.other_party_name,
            "notes": a.notes.replace("\r\n", "\n"),
        }
        assert got == plan, number

    # The page, reloaded, shows every value where it was typed.
    page.reload()
    for number, plan in plans.items():
        form = page.locator(f'form[data-clause="{number}"]')
        values = form.evaluate(
            "f => Object.fromEntries(['status', 'maturity', 'owner', 'target_date',"
            " 'other_party', 'other_party_name', 'notes'].map(n => [n, f.elements[n].value]))"
        )
        values["notes"] = values["notes"].replace("\r\n", "\n")
        assert values == plan, number

    # Each clause's history holds only what was typed on that clause: partial notes (saved
    # during a pause in the typing) are the start of its own note, never another clause's.
    for number, plan in plans.items():
        records = list(saved[number].history.order_by("history_date", "history_id"))
        assert records[0].history_type == "+"
        for record in records:
            notes = record.notes.replace("\r\n", "\n")
            assert plan["notes"].startswith(notes), (number, notes)
            target = record.target_date.isoformat() if record.target_date else ""
            assert target in ("", plan["target_date"]), number
            assert plan["other_party_name"].startswith(record.other_party_name), number
        last = records[-1]
        assert (last.status, last.notes.replace("\r\n", "\n")) == (plan["status"], plan["notes"])
        assert last.version == saved[number].version
    context.close()
