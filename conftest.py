"""Fixtures for every test of the project (apps' tests and tests/)."""

import pytest


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (live server, real worker) flush the database after each test, and
    with it the reference data loaded by migrations: put it back before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from itsms.models import Clause
    from itsms.standards.reference import load_reference_data

    if not Clause.objects.exists():
        load_reference_data()
    from certification.migrations import _seed_template_if_empty

    _seed_template_if_empty()
