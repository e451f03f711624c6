"""Charts with matplotlib's object API (never pyplot in the web process).

Each chart function takes plain data and returns bytes (SVG or PNG); the
``*_figure`` functions return the figure it renders.  The rules the PDF's own
vector charts share with these live here too: the score bins
(:func:`bin_counts`), the party order and colours, and whole-number ticks on
every count axis (:func:`whole_counts`, :func:`count_ticks`).  Axis labels and
legends are in the request's language (``?lang=es``: ``tracker.i18n``), English
outside a request.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

from flask_babel import gettext, ngettext
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tracker.i18n import N_

PARTY_COLORS = {"DFL": "#1f5fa8", "R": "#b22222"}
OTHER_COLOR = "#6b6b6b"
BINS = list(range(0, 101, 10))


def bin_counts(scores: Sequence[float]) -> list[int]:
    """How many scores fall in each bin of ``BINS`` ([0, 10), [10, 20) ... [90, 100]:
    the last bin holds 100), the one binning of every score histogram."""
    counts = [0] * (len(BINS) - 1)
    for score in scores:
        index = min(int(score // 10), len(counts) - 1)
        if 0 <= score <= BINS[-1]:
            counts[index] += 1
    return counts


def count_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 covering ``top`` (a count axis drawn without
    matplotlib, by the same rule as :func:`whole_counts`)."""
    values = MaxNLocator(integer=True).tick_values(0, max(top, 1))
    ticks = [int(v) for v in values if v >= 0]
    while len(ticks) > 1 and ticks[-2] >= top and ticks[-2] > 0:
        ticks.pop()
    return ticks


def whole_counts(axis: Axis) -> None:
    """Ticks of a count axis at whole numbers only (never 0.5 legislators)."""
    axis.set_major_locator(MaxNLocator(integer=True))


def _render(figure: Figure, fmt: str) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def score_distribution(
    scores_by_party: Mapping[str, Sequence[float]],
    *,
    title: str,
    fmt: str = "svg",
    width: float = 7.0,
    height: float = 3.6,
) -> bytes:
    """Stacked histogram of scores (0-100, bins of 10) by party."""
    return _render(
        distribution_figure(scores_by_party, title=title, width=width, height=height), fmt
    )


def party_order(parties: Iterable[str]) -> list[str]:
    """Parties in legend order: the coloured ones first, then by code."""
    return sorted(parties, key=lambda p: (p not in PARTY_COLORS, p))


def distribution_figure(
    scores_by_party: Mapping[str, Sequence[float]],
    *,
    title: str,
    width: float = 7.0,
    height: float = 3.6,
) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    parties = party_order(scores_by_party)
    bottom = [0] * (len(BINS) - 1)
    for party in parties:
        counts = bin_counts(scores_by_party[party])
        if not any(counts):
            continue
        axes.bar(
            BINS[:-1],
            counts,
            width=10,
            bottom=bottom,
            align="edge",
            color=PARTY_COLORS.get(party, OTHER_COLOR),
            label=party,
            edgecolor="white",
        )
        bottom = [a + b for a, b in zip(bottom, counts, strict=True)]
    if any(bottom):
        axes.legend(title=gettext("Party"), frameon=False)
    axes.set_xlim(0, 100)
    axes.set_xticks(BINS)
    axes.set_xlabel(gettext("Score"))
    axes.set_ylabel(gettext("Legislators"))
    whole_counts(axes.yaxis)
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------- size limits

MIN_PX, MAX_WIDTH_PX, MAX_HEIGHT_PX = 150, 2400, 3000
DPI = 100


class ChartSizeError(ValueError):
    """A requested chart size outside the allowed range (the page answers 400)."""


def size_in_inches(
    width_px: int | None, height_px: int | None, *, default: tuple[float, float | None]
) -> tuple[float, float | None]:
    """Pixels (at 100 dpi) to inches, refusing absurd sizes before any drawing.
    A height of None means "fit the content" (ranked bars)."""
    width = default[0] if width_px is None else width_px / DPI
    height = default[1] if height_px is None else height_px / DPI
    if not (
        MIN_PX <= width * DPI <= MAX_WIDTH_PX
        and (height is None or MIN_PX <= height * DPI <= MAX_HEIGHT_PX)
    ):
        raise ChartSizeError(
            f"charts are {MIN_PX} to {MAX_WIDTH_PX} pixels wide and {MIN_PX} to "
            f"{MAX_HEIGHT_PX} pixels high"
        )
    return width, height


# ---------------------------------------------------------------- more charts


def ranked_height(count: int) -> float:
    """A height (inches) that fits ``count`` labelled bars."""
    return min(MAX_HEIGHT_PX / DPI, max(3.0, 0.9 + 0.16 * count))


def ranked_bars(
    rows: Sequence[tuple[str, float | None, str | None]],
    *,
    title: str,
    fmt: str = "svg",
    width: float = 7.0,
    height: float | None = None,
) -> bytes:
    """Horizontal bars of legislators' scores, highest first, coloured by
    party.  ``rows`` are (label, score or None, party); unscored ones are left
    out and counted in a note."""
    scored = sorted(
        ((label, score, party) for label, score, party in rows if score is not None),
        key=lambda r: (-r[1], r[0]),
    )
    missing = len(rows) - len(scored)
    figure = Figure(figsize=(width, height or ranked_height(len(scored))), dpi=DPI)
    axes = figure.add_subplot()
    positions = list(range(len(scored)))
    axes.barh(
        positions,
        [float(s) for _, s, _ in scored],
        color=[PARTY_COLORS.get(p or "", OTHER_COLOR) for _, _, p in scored],
        height=0.75,
    )
    axes.set_yticks(
        positions,
        [label for label, _, _ in scored],
        fontsize=max(4.0, min(9.0, 200 / max(len(scored), 1))),
    )
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(
        ngettext(
            "Score (%(num)d without enough votes not shown)",
            "Score (%(num)d without enough votes not shown)",
            missing,
        )
        if missing
        else gettext("Score")
    )
    axes.set_title(title)
    axes.margins(y=0.005)
    axes.spines[["top", "right"]].set_visible(False)
    parties = party_order({p or "none" for _, _, p in scored})
    if parties:
        from matplotlib.patches import Patch

        axes.legend(
            handles=[Patch(color=PARTY_COLORS.get(p, OTHER_COLOR), label=p) for p in parties],
            frameon=False,
            loc="lower right",
        )
    figure.tight_layout()
    return _render(figure, fmt)


def record_over_time(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    fmt: str = "svg",
    width: float = 7.0,
    height: float = 3.2,
) -> bytes:
    """A legislator's score on each published scorecard, oldest first.
    Scorecards without a score (not enough votes) show as gaps."""
    figure = Figure(figsize=(width, height), dpi=DPI)
    axes = figure.add_subplot()
    xs = list(range(len(points)))
    ys = [float("nan") if s is None else float(s) for _, s in points]
    axes.plot(xs, ys, marker="o", color=PARTY_COLORS["DFL"], linewidth=2)
    for x, y in zip(xs, ys, strict=True):
        if y == y:  # not NaN
            axes.annotate(
                f"{y:.0f}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=9,
            )
    axes.set_xticks(xs, [_wrap(label) for label, _ in points], fontsize=8)
    axes.set_ylim(0, 105)
    axes.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
    axes.set_ylabel(gettext("Score"))
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _render(figure, fmt)


def _wrap(label: str, width: int = 18) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


# ---------------------------------------------------------------- vote pressure

PRESSURE_COLORS = {
    "voted_as_asked": "#2e7d32",
    "voted_against": "#b22222",
    "did_not_vote": "#9e9e9e",
}
PRESSURE_LABELS = {
    "voted_as_asked": N_("Voted as asked"),
    "voted_against": N_("Voted against"),
    "did_not_vote": N_("Did not vote"),
}  # shown through gettext


def pressure_chart(
    totals_by_party: Mapping[str, Mapping[str, int]],
    *,
    title: str,
    with_votes: bool,
    fmt: str = "svg",
    width: float = 7.0,
    height: float = 3.6,
) -> bytes:
    """Per party: member actions (left) and, once the vote is verified, how the
    targeted legislators voted against the ask (right, stacked)."""
    return _render(
        pressure_figure(
            totals_by_party, title=title, with_votes=with_votes, width=width, height=height
        ),
        fmt,
    )


def pressure_figure(
    totals_by_party: Mapping[str, Mapping[str, int]],
    *,
    title: str,
    with_votes: bool,
    width: float = 7.0,
    height: float = 3.6,
) -> Figure:
    """The figure of :func:`pressure_chart`; both axes count, so ticks are whole."""
    figure = Figure(figsize=(width, height), dpi=100)
    parties = list(totals_by_party)
    actions_axes = figure.add_subplot(1, 2 if with_votes else 1, 1)
    positions = list(range(len(parties)))
    called = [totals_by_party[p].get("called", 0) for p in parties]
    emailed = [totals_by_party[p].get("emailed", 0) for p in parties]
    actions_axes.barh(positions, called, color="#1f5fa8", label=gettext("Called"))
    actions_axes.barh(positions, emailed, left=called, color="#7fa7d6", label=gettext("Emailed"))
    actions_axes.set_yticks(positions, labels=parties)
    actions_axes.set_xlabel(gettext("Member actions"))
    whole_counts(actions_axes.xaxis)
    actions_axes.set_title(gettext("Actions"), fontsize=10)
    actions_axes.invert_yaxis()
    actions_axes.legend(frameon=False, fontsize=8)
    actions_axes.spines[["top", "right"]].set_visible(False)
    if with_votes:
        vote_axes = figure.add_subplot(1, 2, 2)
        left = [0] * len(parties)
        for key, color in PRESSURE_COLORS.items():
            values = [totals_by_party[p].get(key, 0) for p in parties]
            vote_axes.barh(
                positions, values, left=left, color=color, label=gettext(PRESSURE_LABELS[key])
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        vote_axes.set_yticks(positions, labels=[""] * len(parties))
        vote_axes.set_xlabel(gettext("Legislators"))
        whole_counts(vote_axes.xaxis)
        vote_axes.set_title(gettext("The vote"), fontsize=10)
        vote_axes.invert_yaxis()
        vote_axes.legend(frameon=False, fontsize=8)
        vote_axes.spines[["top", "right"]].set_visible(False)
    figure.suptitle(_wrap(title, 70), fontsize=11)
    figure.tight_layout()
    return figure
