"""Targets, results and the one table the bench prints."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """What a row must reach; every bound given must hold."""

    ratio: float | None = None  # median ≤ ratio × T
    ms: float | None = None  # median < ms
    queries: int | None = None  # queries ≤
    count: int | None = None  # value == count (e.g. reminders queued again)
    mb: float | None = None  # value ≤ mb

    def text(self) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}× T")
        if self.ms is not None:
            parts.append(f"< {self.ms / 1000:g} s" if self.ms >= 1000 else f"< {self.ms:g} ms")
        if self.queries is not None:
            parts.append(f"≤ {self.queries} q")
        if self.count is not None:
            parts.append(f"= {self.count}")
        if self.mb is not None:
            parts.append(f"≤ {self.mb:g} MB")
        return ", ".join(parts) or "—"


@dataclass
class Result:
    label: str
    target: Target = field(default_factory=Target)
    median_ms: float | None = None
    t_ms: float | None = None  # median of the T samples taken between this row's samples
    queries: int | None = None
    bytes: int | None = None
    value: float | None = None  # rows that are not timings: a count, megabytes
    unit: str = ""
    samples: int = 0
    error: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.median_ms is None or not self.t_ms:
            return None
        return self.median_ms / self.t_ms

    def misses(self) -> list[str]:
        t, missed = self.target, []
        if t.ratio is not None and (self.ratio is None or self.ratio > t.ratio):
            missed.append("ratio")
        if t.ms is not None and (self.median_ms is None or self.median_ms >= t.ms):
            missed.append("time")
        if t.queries is not None and (self.queries is None or self.queries > t.queries):
            missed.append("queries")
        if t.count is not None and self.value != t.count:
            missed.append("count")
        if t.mb is not None and (self.value is None or self.value > t.mb):
            missed.append("memory")
        return missed

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERR"
        if self.target == Target():
            return "—"
        return "MISS" if self.misses() else "OK"


def _ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _value(result: Result) -> str:
    if result.value is None:
        return _ms(result.median_ms)
    if result.unit == "MB":
        return f"{result.value:,.0f} MB"
    return f"{result.value:,.0f}{(' ' + result.unit) if result.unit else ''}"


def table(results: list[Result]) -> str:
    """One row per measurement: median ms (or the value), × T, target, queries, bytes, verdict."""
    header = ("row", "median ms", "× T", "target", "queries", "bytes", "result")
    lines = []
    for r in results:
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else ""
        lines.append(
            (
                r.label,
                _value(r),
                ratio,
                r.target.text(),
                "" if r.queries is None else f"{r.queries:,}",
                "" if r.bytes is None else f"{r.bytes:,}",
                r.verdict + (f" {r.error}" if r.error else ""),
            )
        )
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    right = {1, 2, 4, 5}

    def fmt(row):
        cells = [
            str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i])
            for i, c in enumerate(row)
        ]
        return "| " + " | ".join(cells) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    notes = [f"  {r.label}: {r.note}" for r in results if r.note]
    return "\n".join(
        [fmt(header), rule, *map(fmt, lines), *(["", "Notes:", *notes] if notes else [])]
    )


def exit_code(results: list[Result], check: bool) -> int:
    """2 when a row could not be measured (an error page, a failed job); 1 with ``check`` when a
    target is missed; otherwise 0."""
    if any(r.error for r in results):
        return 2
    if check and any(r.verdict == "MISS" for r in results):
        return 1
    return 0
