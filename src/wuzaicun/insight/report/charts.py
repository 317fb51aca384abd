"""The report's charts, drawn on the server with matplotlib (Agg, no display) in a CJK font from Debian's packages.

`fonts-wqy-microhei` is what CI installs; Noto Sans CJK SC is used where present. Figures are built with the
object API (`matplotlib.figure.Figure`), never pyplot: no global state, safe in a threaded server or a job worker.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from typing import Any

# Preferred first; DejaVu Sans last for Latin digits and as the final fallback (glyph by glyph).
FONT_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "DejaVu Sans")
COLOURS = ("#c0392b", "#2e6da4", "#d4a017", "#5b8c5a", "#7f6a93")  # red first: the party's documents
WIDTH_CM, HEIGHT_CM = 15.0, 8.0
DPI = 200
CM = 1 / 2.54


@cache
def font_families() -> list[str]:
    """The preferred families that are installed (asking matplotlib for a missing one logs a warning per draw)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in FONT_FAMILIES if name in installed] or ["DejaVu Sans"]


def _style() -> Any:  # matplotlib types the keys as literals
    return {"font.family": font_families(), "axes.unicode_minus": False, "font.size": 9,
            "axes.spines.top": False, "axes.spines.right": False}


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    return out.getvalue()


def _value_axis(axes: Any, unit: str) -> None:
    """Counts: whole-number ticks with separators, the unit upright above the axis."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axes.set_ylabel(unit, rotation=0, ha="right", va="top")
    axes.yaxis.set_label_coords(-0.02, 1.02)


def bars_by_area(names: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, unit: str) -> bytes:
    """Grouped bars: one group per area, one bar per series (label, values); the PNG's bytes."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(WIDTH_CM * CM, HEIGHT_CM * CM))
        axes = figure.add_subplot()
        count = max(len(series), 1)
        width = 0.8 / count
        positions = range(len(names))
        for index, (label, values) in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            bars = axes.bar(offsets, values, width=width, label=label, color=COLOURS[index % len(COLOURS)])
            if len(names) * count <= 30:
                axes.bar_label(bars, labels=[f"{v:,}" for v in values], fontsize=6, padding=1)
        axes.set_xticks(list(positions), list(names), rotation=45 if len(names) > 8 else 0,
                        ha="right" if len(names) > 8 else "center")
        _value_axis(axes, unit)
        axes.grid(axis="y", linewidth=0.3, alpha=0.6)
        if len(series) > 1:
            axes.legend(frameon=False)
        return _png(figure)


def shares(panels: Sequence[tuple[str, Sequence[tuple[str, int]]]], *, unit: str) -> bytes:
    """Side by side bar panels (title, [(category, count)]) with each bar's count and share; the PNG's bytes."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(WIDTH_CM * CM, HEIGHT_CM * CM))
        axes_list = figure.subplots(1, len(panels), squeeze=False)[0]
        for axes, (title, items) in zip(axes_list, panels, strict=True):
            labels = [label for label, _ in items]
            values = [value for _, value in items]
            total = sum(values)
            bars = axes.bar(labels, values, color=[COLOURS[i % len(COLOURS)] for i in range(len(values))])
            axes.bar_label(bars, labels=[f"{v:,} ({v * 100 / total:.1f}%)" if total else f"{v:,}" for v in values],
                           fontsize=7, padding=1)
            axes.set_title(title, fontsize=10)
            _value_axis(axes, unit)
            axes.grid(axis="y", linewidth=0.3, alpha=0.6)
        figure.tight_layout()
        return _png(figure)
