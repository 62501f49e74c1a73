"""Bar charts in the reports' font and colours (reportlab.graphics, no extra dependency).

Each chart is drawn beside a table holding the same numbers, which is its text alternative: a
screen reader reads the table, a board member looks at the bars. Labels too long for the axis
are shortened with an ellipsis; the table keeps them whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from procure.reports.fonts import REGULAR, register_fonts
from procure.reports.layout import fit
from procure.reports.styles import ACCENT, MUTED, RULE

SERIES_COLOURS = [ACCENT, colors.HexColor("#6BAF92"), colors.HexColor("#E0A458"),
                  colors.HexColor("#9DB4CF")]
LABEL_WIDTH = 150.0
FONT_SIZE = 7.5


def _legend(drawing: Drawing, names: Sequence[str], x: float, y: float) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = REGULAR, FONT_SIZE
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 160
    legend.dx = legend.dy = 7
    legend.colorNamePairs = list(zip(SERIES_COLOURS, names))
    drawing.add(legend)


def _steps(axis: object, top: float, whole: bool) -> None:
    """Counts get whole-number ticks (no "0, 0, 1, 2, 2" from rounded halves)."""
    if whole and top > 0:
        rough = max(1.0, top / 5)
        power = 10 ** math.floor(math.log10(rough))
        step = int(next(m * power for m in (1, 2, 5, 10) if m * power >= rough))
        axis.valueStep = step  # type: ignore[attr-defined]
        axis.valueMax = step * math.ceil(top / step)  # type: ignore[attr-defined]


def _style_values(axis: object, value_label: Callable[[float], str]) -> None:
    """The value axis as every chart draws it: muted labels, thin rules, a grid."""
    axis.labels.fontName = REGULAR  # type: ignore[attr-defined]
    axis.labels.fontSize = FONT_SIZE - 0.5  # type: ignore[attr-defined]
    axis.labels.fillColor = MUTED  # type: ignore[attr-defined]
    axis.labelTextFormat = value_label  # type: ignore[attr-defined]
    axis.strokeColor = RULE  # type: ignore[attr-defined]
    axis.gridStrokeColor = RULE  # type: ignore[attr-defined]
    axis.visibleGrid = 1  # type: ignore[attr-defined]


def _colour_bars(chart: object, count: int) -> None:
    for index, colour in enumerate(SERIES_COLOURS[:count]):
        chart.bars[index].fillColor = colour  # type: ignore[attr-defined]
        chart.bars[index].strokeColor = None  # type: ignore[attr-defined]


def horizontal_bars(labels: Sequence[str], series: Sequence[Sequence[float]],
                    names: Sequence[str], width: float, value_label: Callable[[float], str],
                    *, bar_height: float = 11.0, whole: bool = False) -> Drawing:
    """One row per label, one bar per series (overlapping totals such as spend and covered)."""
    register_fonts()
    rows = max(1, len(labels))
    plot_h = rows * bar_height * (len(series) + 0.6)
    legend_h = 16 if len(series) > 1 else 0
    drawing = Drawing(width, plot_h + 24 + legend_h)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH, 16
    chart.width, chart.height = width - LABEL_WIDTH - 20, plot_h
    chart.data = [list(reversed(s)) for s in series]  # first label on top
    chart.categoryAxis.categoryNames = [fit(lb, REGULAR, FONT_SIZE, LABEL_WIDTH - 8)
                                        for lb in reversed(labels)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = FONT_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    top = max((v for s in series for v in s), default=0)
    chart.valueAxis.valueMax = top * 1.05 if top > 0 else 1
    _steps(chart.valueAxis, top, whole)
    _style_values(chart.valueAxis, value_label)
    chart.barSpacing = 1
    chart.groupSpacing = bar_height * 0.6
    _colour_bars(chart, len(series))
    drawing.add(chart)
    if legend_h:
        _legend(drawing, names, LABEL_WIDTH, plot_h + 34)
    return drawing


def vertical_bars(labels: Sequence[str], series: Sequence[Sequence[float | None]],
                  names: Sequence[str], width: float, height: float,
                  value_label: Callable[[float], str], *, value_max: float | None = None
                  ) -> Drawing:
    """Columns per label (years), one per series; a missing value draws no column."""
    register_fonts()
    drawing = Drawing(width, height + 40)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 20
    chart.width, chart.height = width - 60, height
    chart.data = [[v if v is not None else 0 for v in s] for s in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = FONT_SIZE
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    top = max((v or 0 for s in series for v in s), default=0)
    chart.valueAxis.valueMax = value_max if value_max is not None else (top * 1.1 or 1)
    _style_values(chart.valueAxis, value_label)
    chart.barSpacing = 2
    _colour_bars(chart, len(series))
    drawing.add(chart)
    _legend(drawing, names, 40, height + 34)
    return drawing


def caption(drawing: Drawing, text: str) -> Drawing:
    """A muted caption under a chart (what the bars measure)."""
    drawing.add(String(0, 2, text, fontName=REGULAR, fontSize=FONT_SIZE, fillColor=MUTED))
    return drawing
