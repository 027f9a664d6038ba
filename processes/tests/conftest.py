"""Reuse the cross-cutting fixtures: org_a, org_b, members by role, consultant, api_client."""

from tests.conftest import *  # noqa: F403
