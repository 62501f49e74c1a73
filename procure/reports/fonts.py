"""The one TrueType family every report uses: DejaVu Sans, shipped inside the package.

reportlab's built-in Type 1 fonts cover Latin-1 only: they have no subscript two (CO₂), no
≤ ≥, and no typographic quotes, so a climate requirement would print with holes in it. DejaVu
Sans (Bitstream Vera licence, see ``fonts/LICENSE-DejaVu.txt``) covers all of them, and it is
shipped here rather than looked up on the system so a fresh CI machine renders the same PDF.
Bold italic maps to bold: it is never used for data and keeps the package under 2.5 MB.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from procure.errors import ProcureError
from procure.i18n import tr

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
FILES: dict[str, str] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

#: Characters Swedish procurement text and climate notation need; checked glyph by glyph.
REQUIRED_CHARS = "åäöÅÄÖéÉüÜ₂≤≥€–—“”‘’…•·−✓✗×°\u00a0"

#: Shown instead of a character no face of the family can draw (never the empty box).
REPLACEMENT = "?"


@cache
def register_fonts() -> str:
    """Register the family once per process and return its name (the regular face).

    Fails with a clear error when a font file is missing (a broken installation), instead of
    letting reportlab fall back to Helvetica and silently drop characters.
    """
    for name, filename in FILES.items():
        path = FONT_DIR / filename
        if not path.is_file():
            raise ProcureError(tr("a report font is missing from the installation",
                                  "ett typsnitt för rapporterna saknas i installationen"),
                               file=path, hint=tr("reinstall procure",
                                                  "installera om procure"))
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)
    # Paragraph markup (<b>, <i>) finds faces through these mappings.
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD)
    return REGULAR


@cache
def covered_chars() -> frozenset[str]:
    """Characters every face of the family can draw (the intersection of their cmaps)."""
    register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in FILES]
    common = set(faces[0])
    for cmap in faces[1:]:
        common &= set(cmap)
    return frozenset(chr(code) for code in common)


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` the family cannot draw (empty: it prints as written)."""
    return set(text) - covered_chars() - {"\n", "\t"}
