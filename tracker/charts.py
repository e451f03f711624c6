"""Charts with matplotlib's object API (never pyplot in the web process).

Each function takes plain data and returns bytes (SVG or PNG).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PARTY_COLORS = {"DFL": "#1f5fa8", "R": "#b22222"}
OTHER_COLOR = "#6b6b6b"
BINS = list(range(0, 101, 10))


def _render(figure: Figure, fmt: str) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def score_distribution(scores_by_party: Mapping[str, Sequence[float]], *, title: str,
                       fmt: str = "svg", width: float = 7.0, height: float = 3.6) -> bytes:
    """Stacked histogram of scores (0-100, bins of 10) by party."""
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    parties = sorted(scores_by_party, key=lambda p: (p not in PARTY_COLORS, p))
    data = [list(scores_by_party[p]) for p in parties]
    colors = [PARTY_COLORS.get(p, OTHER_COLOR) for p in parties]
    if any(data):
        axes.hist(data, bins=BINS, stacked=True, color=colors, label=parties,
                  edgecolor="white")
        axes.legend(title="Party", frameon=False)
    axes.set_xlim(0, 100)
    axes.set_xticks(BINS)
    axes.set_xlabel("Score")
    axes.set_ylabel("Legislators")
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _render(figure, fmt)
