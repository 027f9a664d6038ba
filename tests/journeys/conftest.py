"""The journeys' starting state: an empty database with the reference data (migrations) and
the first people, who have accounts but no organisation yet."""

import pytest

from ..factories import UserFactory
from ..test_assessment_keyboard import one_request_at_a_time  # noqa: F401  (a fixture)


@pytest.fixture
def people(db):
    """Li the consultant (Northbridge) and the bank's people, before anything exists."""
    return {
        "li": UserFactory(email="li@northbridge.example", full_name="Li Na"),
    }


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    return settings
