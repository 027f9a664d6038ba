"""Settings of the embedded default (SQLite, filesystem broker); see base.py."""

from .base import *  # noqa: F403
