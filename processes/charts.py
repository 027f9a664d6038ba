"""Small trend charts rendered on the server as inline SVG (no JavaScript, CSP-safe).

The chart uses presentation attributes and classes only — never a ``style``
attribute, which the Content-Security-Policy forbids — so it renders the same
with or without the stylesheet.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 320, 120
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 10, 10, 22
MET, MISSED = "#137333", "#b42318"


def _fmt(value: Decimal) -> str:
    """99.500 → "99.5", 100.000 → "100" (never "1E+2")."""
    if value == value.to_integral_value():
        return number_format(value.quantize(Decimal(1)))
    return number_format(value.normalize())


def kpi_trend_svg(kpi, values) -> SafeString:
    """A line of ``values`` (oldest first) with a dashed target line; points coloured met/missed."""
    target = Decimal(kpi.target)
    label = _("Trend of %(name)s against its target %(target)s") % {
        "name": kpi.name,
        "target": kpi.target_display,
    }
    numbers = [Decimal(v.value) for v in values]
    low = min([*numbers, target])
    high = max([*numbers, target])
    if high == low:
        high, low = high + 1, low - 1
    span = high - low
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y(value: Decimal) -> str:
        return f"{PAD_TOP + float((high - value) / span) * inner_h:.1f}"

    def x(index: int) -> str:
        if len(numbers) <= 1:
            return f"{PAD_LEFT + inner_w / 2:.1f}"
        return f"{PAD_LEFT + index * inner_w / (len(numbers) - 1):.1f}"

    parts = [
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d9e0e7"/>',
            PAD_LEFT,
            HEIGHT - PAD_BOTTOM,
            WIDTH - PAD_RIGHT,
            HEIGHT - PAD_BOTTOM,
        ),
        format_html(
            '<line class="target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#5c6b7a" '
            'stroke-width="1.5" stroke-dasharray="5 4"><title>{}</title></line>',
            PAD_LEFT,
            y(target),
            WIDTH - PAD_RIGHT,
            y(target),
            _("Target: %(target)s") % {"target": kpi.target_display},
        ),
        format_html(
            '<text class="label" x="{}" y="{}" text-anchor="end" font-size="10" '
            'fill="#5c6b7a">{}</text>',
            PAD_LEFT - 4,
            y(target),
            _fmt(target),
        ),
    ]
    if not numbers:
        parts.append(
            format_html(
                '<text class="empty" x="{}" y="{}" text-anchor="middle" font-size="11" '
                'fill="#5c6b7a">{}</text>',
                WIDTH / 2,
                HEIGHT - PAD_BOTTOM - 6,
                _("No values recorded yet"),
            )
        )
    else:
        points = " ".join(f"{x(i)},{y(n)}" for i, n in enumerate(numbers))
        parts.append(
            format_html(
                '<polyline class="values" points="{}" fill="none" stroke="#1f5fa8" '
                'stroke-width="2"/>',
                points,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle class="point {}" cx="{}" cy="{}" r="3.5" fill="{}">'
                "<title>{}: {} ({})</title></circle>",
                (
                    (
                        "met" if kpi.meets_target(n) else "missed",
                        x(i),
                        y(n),
                        MET if kpi.meets_target(n) else MISSED,
                        v.period_start.isoformat(),
                        kpi.format_value(n),
                        _("meets the target") if kpi.meets_target(n) else _("misses the target"),
                    )
                    for i, (v, n) in enumerate(zip(values, numbers, strict=True))
                ),
            )
        )
        parts.append(
            format_html(
                '<text class="label" x="{}" y="{}" font-size="10" fill="#5c6b7a">{}</text>'
                '<text class="label" x="{}" y="{}" text-anchor="end" font-size="10" '
                'fill="#5c6b7a">{}</text>',
                PAD_LEFT,
                HEIGHT - 6,
                values[0].period_start.isoformat(),
                WIDTH - PAD_RIGHT,
                HEIGHT - 6,
                values[-1].period_start.isoformat(),
            )
        )
    body = mark_safe("".join(str(p) for p in parts))  # noqa: S308  (each part is escaped above)
    return format_html(
        '<svg class="kpi-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        label,
        body,
    )
