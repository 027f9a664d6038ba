"""Dates travel as ISO 8601 in every language: forms, filters and the API.

In Chinese, Django's input format is ``2026/11/22``; ``<input type="date">`` rejects it, shows an
empty field, and the next save clears the date. Every form of the project is built on
``itsms.shared.forms`` so that no form has to remember this; the round trip of every form as a
user submits it is ``tests/test_forms_round_trip.py``.
"""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from itsms.shared.forms import (
    Form,
    IsoDateInput,
    IsoDateTimeInput,
    RoundTripMixin,
)

from .harness.forms import label, project_filtersets, project_forms

LANGUAGES = ["en", "zh-hans"]


def test_every_form_of_the_project_is_built_on_the_iso_base():
    missing = [label(c) for c in project_forms() if not issubclass(c, RoundTripMixin)]
    assert not missing, (
        "Build these forms on itsms.shared.forms.Form / ModelForm (or RoundTripMixin), "
        f"so their dates render and parse as ISO 8601 in every language: {missing}"
    )


def test_the_enumeration_finds_the_forms_it_must():
    names = {label(c) for c in project_forms()}
    assert "itsms.assessment.forms.ClauseAssessmentForm" in names
    assert "audits.forms.SessionForm" in names
    assert len(names) >= 30


class Plain(Form):
    day = forms.DateField()
    when = forms.DateTimeField(required=False)


class Declared(Form):
    """A date field declared with Django's own widget, as a new form might: still ISO."""

    day = forms.DateField(widget=forms.DateInput(attrs={"class": "narrow"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.DateField(required=False)  # added after __init__


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_renders_as_iso_in_every_language(language):
    with translation.override(language):
        form = Plain(
            initial={
                "day": datetime.date(2026, 11, 22),
                "when": datetime.datetime(2026, 11, 22, 9, 30),
            }
        )
        assert 'type="date"' in str(form["day"])
        assert 'value="2026-11-22"' in str(form["day"])
        assert 'type="datetime-local"' in str(form["when"])
        assert 'value="2026-11-22T09:30"' in str(form["when"])
        declared = Declared(
            initial={"day": datetime.date(2026, 11, 22), "later": datetime.date(2027, 1, 5)}
        )
        html = str(declared["day"])
        assert 'value="2026-11-22"' in html and 'class="narrow"' in html and 'type="date"' in html
        assert 'value="2027-01-05"' in str(declared["later"])
        assert 'type="date"' in str(declared["later"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_iso_parses_and_the_languages_own_format_is_refused(language):
    with translation.override(language):
        form = Plain({"day": "2026-11-22", "when": "2026-11-22T09:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 11, 22)
        assert form.cleaned_data["when"].replace(tzinfo=None) == datetime.datetime(
            2026, 11, 22, 9, 30
        )
        # What a page in another language would have rendered: never accepted silently.
        assert not Plain({"day": "2026/11/22"}).is_valid()
        assert not Plain({"day": "11/22/2026"}).is_valid()


def test_seconds_are_kept_when_a_time_has_them():
    form = Plain(
        initial={"day": datetime.date(2026, 1, 1), "when": datetime.datetime(2026, 1, 1, 9, 30, 15)}
    )
    assert 'value="2026-01-01T09:30:15"' in str(form["when"])


def test_a_hidden_date_is_left_hidden():
    class Hidden(RoundTripMixin, forms.Form):
        day = forms.DateField(widget=forms.HiddenInput)

    form = Hidden(initial={"day": datetime.date(2026, 11, 22)})
    assert 'type="hidden"' in str(form["day"]) and 'value="2026-11-22"' in str(form["day"])


def test_every_date_filter_of_every_filterset_takes_iso():
    checked = 0
    for filterset_class in project_filtersets():
        model = filterset_class._meta.model
        with translation.override("zh-hans"):
            form = filterset_class(data=None, queryset=model._default_manager.none()).form
            assert isinstance(form, RoundTripMixin) or not any(
                isinstance(f, forms.DateField | forms.DateTimeField) for f in form.fields.values()
            ), f"{label(filterset_class)}: set Meta.form = itsms.shared.forms.Form"
            for name, field in form.fields.items():
                if isinstance(field, forms.DateTimeField):
                    assert isinstance(form[name].field.widget, IsoDateTimeInput)
                    checked += 1
                elif isinstance(field, forms.DateField):
                    assert isinstance(form[name].field.widget, IsoDateInput)
                    checked += 1
    assert checked >= 2  # the KPI values' since/until at least


@pytest.mark.django_db
def test_the_api_takes_and_gives_iso_dates_in_chinese(api_client, org_a, members):
    from itsms.assessment import services as gap
    from itsms.models import ClauseAssessment, Role

    gap.gap_assessment_start(organization=org_a, actor=members[Role.CONSULTANT])
    row = ClauseAssessment.objects.get(organization=org_a, clause__number="9.2")
    api_client.force_authenticate(members[Role.CONSULTANT])
    url = reverse("itsms-api:assessment-detail", args=[row.pk])
    headers = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    response = api_client.patch(
        url, {"target_date": "2026-11-22", "version": row.version}, format="json", **headers
    )
    assert response.status_code == 200, response.content
    assert response.json()["target_date"] == "2026-11-22"
    row.refresh_from_db()
    assert row.target_date == datetime.date(2026, 11, 22)

    # The Chinese input format is refused with a clear error, and nothing changes.
    response = api_client.patch(
        url, {"target_date": "2026/11/23", "version": row.version}, format="json", **headers
    )
    assert response.status_code == 400
    assert "target_date" in response.json()
    row.refresh_from_db()
    assert row.target_date == datetime.date(2026, 11, 22)

    listing = api_client.get(
        reverse("itsms-api:assessment-list"),
        {"organization": org_a.slug, "clause": "9.2"},
        **headers,
    ).json()
    assert "2026-11-22" in str(listing)
