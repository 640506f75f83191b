"""HTML fragments the templates cannot draw well: highlighted article text and the dyad chart.

Everything here escapes its text with :mod:`markupsafe` before it becomes :class:`Markup`, so a
scraped ``<script>`` always reaches the browser as the characters ``&lt;script&gt;``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

#: Colours of the quad classes (GDELT's order), shared by the chart and the highlights.
QUAD_COLORS = {
    1: "#7fb3d5",  # verbal cooperation
    2: "#1f618d",  # material cooperation
    3: "#f5b041",  # verbal conflict
    4: "#b03a2e",  # material conflict
}
QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
#: Chart geometry in SVG user units; the SVG scales to the page width (viewBox).
CHART_WIDTH = 760
COUNTS_HEIGHT = 170
GOLDSTEIN_HEIGHT = 110
MARGIN_LEFT = 52
LABEL_BAND = 56  # room under the bars for the period labels


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) link, else None (no javascript:, data:, …)."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url.strip()):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


@dataclass(slots=True)
class Span:
    """A highlighted span of the text: ``tag`` with ``attrs``, drawn from ``start`` to ``end``."""

    start: int
    end: int
    layer: int  # 0 is outermost: event sentences, quotes, amounts, actors, triggers
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    anchor: str | None = None  # element id, given to the first piece only


def _open(span: Span, first: bool) -> Markup:
    attrs = dict(span.attrs)
    if first and span.anchor:
        attrs = {"id": span.anchor, **attrs}
    rendered = Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attrs.items())
    return Markup("<{}{}>").format(Markup(span.tag), rendered)


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` escaped, with every span wrapped in its tag (split where spans cross)."""
    usable = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    bounds = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    out: list[Markup] = []
    stack: list[Span] = []
    started: set[int] = set()
    for low, high in pairwise(bounds):
        active = sorted(
            (s for s in usable if s.start <= low and s.end >= high),
            key=lambda s: (s.layer, s.start, -s.end),
        )
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
            keep += 1
        for span in reversed(stack[keep:]):
            out.append(Markup("</{}>").format(Markup(span.tag)))
        del stack[keep:]
        for span in active[keep:]:
            out.append(_open(span, id(span) not in started))
            started.add(id(span))
            stack.append(span)
        out.append(escape(text[low:high]))
    out.extend(Markup("</{}>").format(Markup(s.tag)) for s in reversed(stack))
    return Markup("").join(out)


def article_spans(
    article: Mapping[str, Any], *, actor_url: Mapping[int, str] | None = None
) -> list[Span]:
    """The spans of an article page record: event sentences, quotes, amounts, actors."""
    spans: list[Span] = []
    for event in article["events"]:
        flags = " neg" if event["negated"] or event["hypothetical"] else ""
        title = f"{event['cameo']} {event.get('cameo_name') or ''} · {event['label']}"
        spans.append(
            Span(event["sentence_start"], event["sentence_end"], 0, "mark",
                 {"class": f"ev q{event['quad_class']}{flags}", "title": title.strip(),
                  "data-event": str(event["event_id"])}, anchor=f"ev-{event['idx']}")
        )  # fmt: skip
        if event["trigger_end"] > event["trigger_start"]:
            spans.append(
                Span(event["trigger_start"], event["trigger_end"], 4, "b", {"class": "trigger"})
            )
    for quote in article["quotes"]:
        speaker = (quote.get("speaker") or {}).get("name") or "unknown speaker"
        spans.append(
            Span(quote["start"], quote["end"], 1, "span",
                 {"class": f"quote {quote['kind']}", "title": f"{speaker} ({quote['kind']})"},
                 anchor=f"q-{quote['start']}")
        )  # fmt: skip
    for amount in article["amounts"]:
        what = f"{amount['value']:g} {amount.get('unit') or ''} {amount.get('object') or ''}"
        spans.append(
            Span(amount["start"], amount["end"], 2, "span",
                 {"class": "amount", "title": " ".join(what.split())},
                 anchor=f"n-{amount['start']}")
        )  # fmt: skip
    urls = actor_url or {}
    for mention in article["mentions"]:
        actor = mention["actor"]
        title = f"{actor['name']} · {actor.get('code') or 'no code'} (via {mention['via']})"
        href = urls.get(actor.get("id") or -1)
        attrs = {"class": "actor", "title": title}
        spans.append(
            Span(mention["start"], mention["end"], 3, "a" if href else "span",
                 {**attrs, "href": href} if href else attrs)
        )  # fmt: skip
    return spans


def _y_ticks(top: int) -> list[int]:
    """A few round tick values from 0 to ``top``."""
    step = max(1, -(-top // 4))
    return list(range(0, top + 1, step))


def dyad_chart(periods: Sequence[Mapping[str, Any]], *, title: str) -> Markup:
    """An inline SVG: quad-class counts stacked per period above mean Goldstein per period."""
    if not periods:
        return Markup('<p class="empty">No dated events between these two yet.</p>')
    n = len(periods)
    plot_w = CHART_WIDTH - MARGIN_LEFT - 10
    slot = plot_w / n
    bar = max(2.0, min(36.0, slot * 0.7))
    top = max(1, max(sum(p[q] for q in _QUAD_KEYS) for p in periods))
    ticks = _y_ticks(top)
    top = max(top, ticks[-1])
    y0 = 24  # room for the legend
    g_top = y0 + COUNTS_HEIGHT + 24
    g_mid = g_top + GOLDSTEIN_HEIGHT / 2
    height = g_top + GOLDSTEIN_HEIGHT + LABEL_BAND
    parts: list[Markup] = [
        Markup(
            '<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="100%"'
            ' xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        ).format(w=CHART_WIDTH, h=f"{height:.0f}", t=title)
    ]
    for i, (quad, label) in enumerate(QUAD_LABELS.items()):
        left = MARGIN_LEFT + i * 170
        parts.append(
            Markup(
                '<rect x="{x}" y="6" width="12" height="12" fill="{c}"/>'
                '<text x="{tx}" y="16" class="legend">{l}</text>'
            ).format(x=left, c=QUAD_COLORS[quad], tx=left + 16, l=label)
        )
    for tick in ticks:
        y = y0 + COUNTS_HEIGHT - tick / top * COUNTS_HEIGHT
        parts.append(
            Markup(
                '<line x1="{a}" x2="{b}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                '<text x="{tx}" y="{ty:.1f}" class="tick" text-anchor="end">{v}</text>'
            ).format(a=MARGIN_LEFT, b=CHART_WIDTH - 10, y=y, tx=MARGIN_LEFT - 4, ty=y + 4, v=tick)
        )
    for value in (10, 0, -10):
        y = g_mid - value / 10 * GOLDSTEIN_HEIGHT / 2
        parts.append(
            Markup(
                '<line x1="{a}" x2="{b}" y1="{y:.1f}" y2="{y:.1f}" class="{cls}"/>'
                '<text x="{tx}" y="{ty:.1f}" class="tick" text-anchor="end">{v:+d}</text>'
            ).format(
                a=MARGIN_LEFT,
                b=CHART_WIDTH - 10,
                y=y,
                tx=MARGIN_LEFT - 4,
                ty=y + 4,
                v=value,
                cls="axis" if value == 0 else "grid",
            )
        )
    parts.append(
        Markup(
            '<text x="12" y="{a:.0f}" class="axis-title" text-anchor="middle"'
            ' transform="rotate(-90 12 {a:.0f})">events</text>'
            '<text x="12" y="{b:.0f}" class="axis-title" text-anchor="middle"'
            ' transform="rotate(-90 12 {b:.0f})">Goldstein</text>'
        ).format(a=y0 + COUNTS_HEIGHT / 2, b=g_mid)
    )
    for i, period in enumerate(periods):
        x = MARGIN_LEFT + i * slot + (slot - bar) / 2
        base = float(y0 + COUNTS_HEIGHT)
        for quad, key in zip(QUAD_LABELS, _QUAD_KEYS, strict=True):
            count = int(period[key])
            if not count:
                continue
            h = count / top * COUNTS_HEIGHT
            base -= h
            parts.append(
                Markup(
                    '<rect class="bar quad-{q}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}"'
                    ' height="{h:.1f}" fill="{c}"><title>{p}: {n} {l}</title></rect>'
                ).format(
                    q=quad,
                    x=x,
                    y=base,
                    w=bar,
                    h=h,
                    c=QUAD_COLORS[quad],
                    p=period["period"],
                    n=count,
                    l=QUAD_LABELS[quad],
                )
            )
        mean = period.get("goldstein_mean")
        if mean is not None:
            h = abs(mean) / 10 * GOLDSTEIN_HEIGHT / 2
            y = g_mid - h if mean >= 0 else g_mid
            color = QUAD_COLORS[2] if mean >= 0 else QUAD_COLORS[4]
            parts.append(
                Markup(
                    '<rect class="bar goldstein" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}"'
                    ' height="{h:.1f}" fill="{c}"><title>{p}: mean Goldstein {m:+.2f}</title>'
                    "</rect>"
                ).format(x=x, y=y, w=bar, h=max(h, 1.0), c=color, p=period["period"], m=mean)
            )
        lx, ly = x + bar / 2, g_top + GOLDSTEIN_HEIGHT + 12
        parts.append(
            Markup(
                '<text class="period" x="{x:.1f}" y="{y:.1f}" text-anchor="end"'
                ' transform="rotate(-45 {x:.1f} {y:.1f})">{p}</text>'
            ).format(x=lx, y=ly, p=period["period"])
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


_QUAD_KEYS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
