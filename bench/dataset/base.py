"""What every part of the data set builder shares: the seed, the day, bulk inserts, words."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection

from .scale import SEED, Scale

WORDS = (  # noqa: SIM905  (a paragraph reads better than 46 quoted words)
    "incident service change release capacity availability continuity supplier customer "
    "budget asset configuration request problem knowledge catalogue level report review "
    "record procedure policy plan objective risk opportunity audit measurement "
    "improvement deployment design transition demand relationship security information "
    "backup restore escalation priority agreement monitoring threshold licence inventory "
    "baseline"
).split()

#: Time zones of the organisations, so deadlines fall on different local days.
TIME_ZONES = ("Asia/Shanghai", "Asia/Shanghai", "Asia/Hong_Kong", "Europe/London", "UTC")


@dataclass
class Context:
    """The state of one build: deterministic randomness and the rows the parts hand on."""

    scale: Scale
    media_root: str
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    clauses: dict = field(default_factory=dict)  # number -> Clause (ISO/IEC 20000-1:2018)
    leaves: list = field(default_factory=list)  # the 57 requirement clauses
    people: dict = field(default_factory=dict)  # role name -> users of the big organisation
    counts: dict = field(default_factory=dict)  # model label -> rows inserted
    ids: dict = field(default_factory=dict)  # what the measurements need (slugs, pks)
    bodies: dict = field(default_factory=dict)  # organisation pk -> its certification body

    def bulk(self, model, rows, batch_size: int = 2_000):
        """Insert ``rows`` in as few statements as the database allows; return them with pks."""
        if not rows:
            return rows
        size = batch_size
        if connection.vendor == "sqlite":
            size = None  # Django picks the largest batch SQLite's variable limit allows
        created = model.objects.bulk_create(rows, batch_size=size)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        return created

    def sentence(self, words: int = 8) -> str:
        chosen = [self.rng.choice(WORDS) for _ in range(words)]
        return " ".join(chosen).capitalize() + "."

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.sentence(self.rng.randint(6, 14)) for _ in range(sentences))

    def days_ago(self, low: int, high: int) -> date:
        """A day between ``high`` and ``low`` days before today (inclusive)."""
        return self.today - timedelta(days=self.rng.randint(low, high))

    def days_ahead(self, low: int, high: int) -> date:
        return self.today + timedelta(days=self.rng.randint(low, high))

    def hex_name(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def time_zone(self) -> str:
        return self.rng.choice(TIME_ZONES)
