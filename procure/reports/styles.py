"""Shared look of every report: paragraph styles, table styles and the ``para()`` helper.

``para()`` is the only way data text enters a Paragraph. reportlab parses Paragraph text as
XML-like markup, so a supplier called ``<b>Bygg & Co</b>`` would otherwise turn bold (or, with a
lone ``&``, stop the build). Everything passed to ``para()`` is escaped; our own emphasis is
added around the escaped text by the helper, never inside the data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Table, TableStyle

from procure.reports.fonts import BOLD, FAMILY, REPLACEMENT, covered_chars, register_fonts

ACCENT = colors.HexColor("#1F3A5F")
ACCENT_LIGHT = colors.HexColor("#E8EEF5")
RULE = colors.HexColor("#B8C4D2")
MUTED = colors.HexColor("#555F6B")
STRIPE = colors.HexColor("#F5F7FA")
VERDICT_COLOURS: dict[str, colors.Color] = {
    "met": colors.HexColor("#DCEFD9"),
    "not_met": colors.HexColor("#F6D5D1"),
    "missing": colors.HexColor("#E4E4E4"),
    "invalid": colors.HexColor("#F9E2C2"),
    "review": colors.HexColor("#FFF4C2"),
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The named paragraph styles; headings keep with what follows them."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FAMILY, fontSize=9.5, leading=13, spaceAfter=4,
                          alignment=TA_LEFT, splitLongWords=1)
    named = {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=20, leading=25,
                                textColor=ACCENT, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12, leading=16, textColor=MUTED,
                                   spaceAfter=14),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=14, leading=18,
                             textColor=ACCENT, spaceBefore=14, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=11, leading=14,
                             textColor=ACCENT, spaceBefore=10, spaceAfter=3, keepWithNext=1),
        "meta": ParagraphStyle("meta", base, fontSize=8, leading=10.5, textColor=MUTED,
                               spaceAfter=4, keepWithNext=1),
        "requirement": ParagraphStyle("requirement", base, fontSize=10, leading=14,
                                      leftIndent=8, rightIndent=8,
                                      borderPadding=(5, 6, 5, 6),
                                      backColor=ACCENT_LIGHT, spaceBefore=3, spaceAfter=9),
        "detail": ParagraphStyle("detail", base, fontSize=9, leading=12, leftIndent=8,
                                 spaceAfter=3),
        "bullet": ParagraphStyle("bullet", base, leftIndent=14, bulletIndent=3, spaceAfter=3),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=BOLD, fontSize=8, leading=10,
                                    spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", base, fontName=BOLD, fontSize=8, leading=10,
                                    spaceAfter=0, textColor=colors.white),
        "cell_head_right": ParagraphStyle("cell_head_right", base, fontName=BOLD, fontSize=8,
                                          leading=10, spaceAfter=0, textColor=colors.white,
                                          alignment=TA_RIGHT),
    }
    return named


def clean(value: Any) -> str:
    """Data as printable text: ``None``/NaN blank, control characters gone, unknown glyphs ``?``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ")
    missing = set(text) - covered_chars() - {"\n"}
    if missing:
        text = "".join(REPLACEMENT if ch in missing else ch for ch in text)
    return text


def escape_text(value: Any) -> str:
    """``value`` escaped for Paragraph markup; line breaks kept as ``<br/>``."""
    return escape(clean(value)).replace("\n", "<br/>")


def para(value: Any, style: str | ParagraphStyle = "body", *, label: str | None = None,
         bold: bool = False, italic: bool = False, bullet: str | None = None) -> Paragraph:
    """A Paragraph of escaped ``value``; ``label`` (also escaped) is printed bold in front.

    Use this for every piece of text, ours or the user's: there is then no path by which a
    ``<`` or ``&`` in a criteria set, spec or supplier answer can reach the markup parser.
    """
    text = escape_text(value)
    if bold:
        text = f"<b>{text}</b>"
    if italic:
        text = f"<i>{text}</i>"
    if label:
        text = f"<b>{escape_text(label)}</b> {text}"
    return Paragraph(text, style if isinstance(style, ParagraphStyle) else styles()[style],
                     bulletText=escape_text(bullet) if bullet else None)


HIGHLIGHT = "#FFE066"  # open values in a draft annex: a marker-pen yellow
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def para_marked(value: Any, style: str | ParagraphStyle, marks: Mapping[str, str], *,
                label: str | None = None) -> Paragraph:
    """Like :func:`para`, but each ``{name}`` in ``marks`` shows as a highlighted ``[label]``.

    Used for the buyer's values still open in a draft annex, so a reader sees at a glance
    what is left to decide. Every other character is escaped exactly as :func:`para` does.
    """
    if not marks:
        return para(value, style, label=label)
    text = clean(value)
    parts: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name not in marks:
            continue
        parts.append(escape_text(text[pos:match.start()]))
        parts.append(f'<font backColor="{HIGHLIGHT}"><b>[{escape_text(marks[name])}]</b></font>')
        pos = match.end()
    parts.append(escape_text(text[pos:]))
    markup = "".join(parts)
    if label:
        markup = f"<b>{escape_text(label)}</b> {markup}"
    return Paragraph(markup, style if isinstance(style, ParagraphStyle) else styles()[style])


def table_style(*, header: bool = True, stripes: bool = True, rows: int = 0,
                extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    """Grid style of all data tables: accent header row, thin rules, light stripes."""
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ]
    if stripes and rows:
        start = 1 if header else 0
        commands += [("BACKGROUND", (0, r), (-1, r), STRIPE)
                     for r in range(start + 1, rows, 2)]
    commands += list(extra)
    return TableStyle(commands)


#: A row estimated taller than this (points) lets the table split inside rows.
TALL_ROW = 250.0


def _estimated_height(cell: Any, width: float) -> float:
    """A cheap upper-bound guess of a cell's height, without wrapping the paragraph."""
    if isinstance(cell, Paragraph):
        style = cell.style
        per_line = max(1.0, (width - 8) / (0.62 * style.fontSize))
        lines = sum(int(len(part) / per_line) + 1 for part in cell.text.split("<br/>"))
        return lines * style.leading + 6
    if isinstance(cell, str):
        return (cell.count("\n") + 1) * 10 + 6
    return 0.0


def _split_in_row(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> int:
    return int(any(_estimated_height(cell, width) > TALL_ROW
                   for row in rows for cell, width in zip(row, widths)))


def data_table(rows: list[list[Any]], widths: Sequence[float], *, header: bool = True,
               extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A table that repeats its header row on every page and never raises LayoutError.

    Normal tables split only between rows, so a row is never torn across a page. When a row
    may be taller than a good part of a page (a 20-page supplier answer in one cell), the
    table is allowed to split inside rows (``splitInRow``): reportlab first still tries
    between rows, and only breaks a row when no whole row fits.
    """
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0,
                  splitInRow=_split_in_row(rows, widths), hAlign="LEFT")
    table.setStyle(table_style(header=header, rows=len(rows), extra=extra))
    return table


def key_value_table(pairs: Sequence[tuple[str, Any]], width: float) -> Table:
    """The cover block: label column in bold, value column wraps."""
    label_w = 4.2 * cm
    rows = [[para(label, "cell_bold"), para(value, "cell")] for label, value in pairs]
    widths = [label_w, width - label_w]
    table = Table(rows, colWidths=widths, splitInRow=_split_in_row(rows, widths), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), ACCENT_LIGHT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table
