"""Page templates and the build step shared by every report.

Each page gets a header (document title and reference left, criteria set ``name@version``
right) and a footer (procurement left, "Sida N av M" right). The total page count is only
known at the end, so the canvas keeps each finished page's state and draws the footers in
``save()``: one layout pass, not the two of ``multiBuild``.

Builds are deterministic (``invariant=1``: fixed dates and ids), so the same input gives the
same bytes and tests can compare extracted text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from procure import __version__
from procure.errors import ProcureError
from procure.i18n import tr
from procure.io.outputs import write_atomic
from procure.reports.fonts import BOLD, REGULAR, register_fonts
from procure.reports.styles import ACCENT, MUTED, RULE, clean

PAGE_SIZE = A4
LEFT = RIGHT = 2.2 * cm
TOP = 2.6 * cm
BOTTOM = 2.2 * cm
CONTENT_WIDTH = PAGE_SIZE[0] - LEFT - RIGHT
CONTENT_HEIGHT = PAGE_SIZE[1] - TOP - BOTTOM

PAGE_OF = {"sv": "Sida {n} av {total}", "en": "Page {n} of {total}"}


@dataclass(frozen=True)
class PageInfo:
    """What the page template prints around the content, and the PDF's metadata."""

    title: str
    reference: str
    set_ref: str
    footer: str
    lang: str = "sv"
    author: str = ""
    subject: str = ""
    watermark: str = ""  # "UTKAST" across every page of a draft


@dataclass(frozen=True)
class BuiltReport:
    """A written report: where it is and how many pages it has."""

    path: Path
    pages: int


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits ``width`` points."""
    text = clean(text).replace("\n", " ")
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_header(canvas: Canvas, info: PageInfo) -> None:
    width, height = PAGE_SIZE
    y = height - 1.5 * cm
    right = fit(info.set_ref, REGULAR, 8, CONTENT_WIDTH * 0.35)
    right_w = stringWidth(right, REGULAR, 8)
    left_space = CONTENT_WIDTH - right_w - 0.8 * cm
    title = fit(info.title, BOLD, 8.5, left_space)
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(LEFT, y, title)
    if info.reference:
        used = stringWidth(title + "  ", BOLD, 8.5)
        canvas.setFont(REGULAR, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(LEFT + used, y, fit(info.reference, REGULAR, 8.5, left_space - used))
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(width - RIGHT, y, right)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, y - 5, width - RIGHT, y - 5)


def _draw_footer(canvas: Canvas, info: PageInfo, number: int, total: int) -> None:
    width = PAGE_SIZE[0]
    y = 1.2 * cm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, y + 10, width - RIGHT, y + 10)
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(MUTED)
    page = PAGE_OF.get(info.lang, PAGE_OF["sv"]).format(n=number, total=total)
    canvas.drawRightString(width - RIGHT, y, page)
    room = CONTENT_WIDTH - stringWidth(page, REGULAR, 8) - 1 * cm
    canvas.drawString(LEFT, y, fit(info.footer, REGULAR, 8, room))


def _draw_watermark(canvas: Canvas, text: str) -> None:
    """Large diagonal text over the page, translucent so the content stays readable."""
    width, height = PAGE_SIZE
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#C0392B"))
    canvas.setFillAlpha(0.16)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(50)
    size = 110.0
    while size > 20 and stringWidth(text, BOLD, size) > height * 0.9:
        size -= 4
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -size / 3, text)
    canvas.restoreState()


def numbered_canvas(info: PageInfo, result: dict[str, int]) -> Callable[..., Canvas]:
    """A canvas class that draws header and "Sida N av M" once the page total is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            result["pages"] = total
            for number, state in enumerate(self._page_states, start=1):
                self.__dict__.update(state)
                self.saveState()
                _draw_header(self, info)
                _draw_footer(self, info, number, total)
                if info.watermark:
                    _draw_watermark(self, info.watermark)
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class ReportDocument(BaseDocTemplate):
    """A4 portrait, one frame, the shared header and footer."""

    def __init__(self, filename: str, info: PageInfo) -> None:
        super().__init__(
            filename, pagesize=PAGE_SIZE, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
            bottomMargin=BOTTOM, title=clean(info.title), author=clean(info.author),
            subject=clean(info.subject), creator=f"procure {__version__}", invariant=1,
            lang="sv-SE" if info.lang == "sv" else "en",
        )
        frame = Frame(LEFT, BOTTOM, CONTENT_WIDTH, CONTENT_HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])


def build_pdf(story: list[Flowable], output: str | Path, info: PageInfo) -> BuiltReport:
    """Lay ``story`` out and write it to ``output`` atomically; return path and page count."""
    register_fonts()
    result: dict[str, int] = {}

    def write(tmp: Path) -> None:
        doc = ReportDocument(str(tmp), info)
        try:
            doc.build(story, canvasmaker=numbered_canvas(info, result))
        except LayoutError as exc:  # a bug in a report, but the user gets one clear line
            raise ProcureError(tr("the report could not be laid out: {error}",
                                  "rapporten kunde inte sättas upp: {error}", error=exc),
                               hint=tr("please report this with the input files",
                                       "rapportera gärna felet och bifoga indatafilerna")
                               ) from None

    path = write_atomic(output, write)  # OS errors about the output become OutputFileError
    return BuiltReport(path=path, pages=result.get("pages", 0))
