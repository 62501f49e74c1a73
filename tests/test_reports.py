"""The report foundation: fonts, ``para()`` escaping, page template, tables, determinism."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.paragraph import Paragraph

from procure.errors import OutputFileError, ProcureError
from procure.reports import fonts
from procure.reports.layout import BuiltReport, PageInfo, build_pdf, fit
from procure.reports.styles import clean, data_table, escape_text, para

INFO = PageInfo(title="Bilaga – Klimatkrav", reference="KS 2026/0412", set_ref="se-klimat@1.0.0",
                footer="Skolskjuts · Exempelkommun")
GLYPHS = "å ä ö Å Ä Ö é ü CO₂ ≤ ≥ € – — “ ” ✓ ✗"


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


# --- fonts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(fonts.FILES))
def test_every_face_has_every_required_glyph(name):
    fonts.register_fonts()
    cmap = pdfmetrics.getFont(name).face.charToGlyph
    missing = [ch for ch in fonts.REQUIRED_CHARS + GLYPHS.replace(" ", "") if ord(ch) not in cmap]
    assert missing == []


def test_the_family_maps_bold_and_italic_to_its_own_faces():
    from reportlab.lib.fonts import tt2ps

    fonts.register_fonts()
    assert tt2ps(fonts.FAMILY, 1, 0) == fonts.BOLD
    assert tt2ps(fonts.FAMILY, 0, 1) == fonts.ITALIC


def test_fonts_ship_with_their_licence_and_stay_small():
    files = [fonts.FONT_DIR / f for f in fonts.FILES.values()]
    assert all(f.is_file() for f in files)
    assert sum(f.stat().st_size for f in files) < 2.5 * 1024 * 1024
    licence = (fonts.FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence
    assert "Arev Fonts Copyright" in licence


def test_missing_glyphs_names_what_the_font_cannot_draw():
    assert fonts.missing_glyphs(GLYPHS) == set()
    assert fonts.missing_glyphs("klimat 中") == {"中"}


# --- para() and clean() -------------------------------------------------------------------

def test_para_escapes_markup_in_data():
    p = para("<b>Bygg & Co</b>")
    assert p.getPlainText() == "<b>Bygg & Co</b>"
    assert not any(getattr(frag, "bold", 0) for frag in p.frags)


def test_para_label_is_bold_and_escaped_too():
    p = para("<i>svar</i>", label="A & B:")
    assert p.getPlainText() == "A & B: <i>svar</i>"
    assert p.frags[0].fontName == fonts.BOLD


def test_para_keeps_line_breaks_and_drops_control_characters():
    assert escape_text("rad 1\r\nrad 2\x00\x07") == "rad 1<br/>rad 2"
    assert escape_text("a\rb\tc") == "a<br/>b c"


def test_clean_blanks_missing_values_and_replaces_unknown_glyphs():
    assert clean(None) == ""
    assert clean(float("nan")) == ""
    assert clean("CO₂ 中") == "CO₂ ?"
    assert clean(42) == "42"


@pytest.mark.parametrize("text", ["&", "<", "a < b & c > d", "&amp;", "<br/>", "<para>", "]]>"])
def test_para_never_fails_on_markup_like_text(text):
    assert para(text).getPlainText() == text


# --- layout --------------------------------------------------------------------------------

def test_fit_shortens_with_an_ellipsis():
    fonts.register_fonts()
    assert fit("kort", fonts.REGULAR, 8, 200) == "kort"
    long = fit("Upphandling " * 40, fonts.REGULAR, 8, 200)
    assert long.endswith("…")
    assert pdfmetrics.stringWidth(long, fonts.REGULAR, 8) <= 200


def test_header_and_footer_on_every_page_with_the_right_total(tmp_path):
    story = [para(f"Stycke {n}: " + "text om CO₂ och åäö " * 30) for n in range(60)]
    built = build_pdf(story, tmp_path / "r.pdf", INFO)
    pages = pdf_text(built.path)
    assert isinstance(built, BuiltReport)
    assert built.pages == len(pages) > 2
    for n, text in enumerate(pages, start=1):
        assert f"Sida {n} av {len(pages)}" in text
        assert "Bilaga – Klimatkrav" in text
        assert "se-klimat@1.0.0" in text
        assert "Skolskjuts · Exempelkommun" in text


def test_english_footer(tmp_path):
    info = PageInfo(title="Annex", reference="", set_ref="x@1", footer="", lang="en")
    built = build_pdf([para("a"), PageBreak(), para("b")], tmp_path / "r.pdf", info)
    assert "Page 2 of 2" in pdf_text(built.path)[1]


def test_builds_are_byte_for_byte_deterministic(tmp_path):
    def story() -> list[Flowable]:
        return [para("CO₂ ≤ 50 g/km – “krav” " * 50), data_table(
            [[para("Id", "cell_head"), para("Krav", "cell_head")]]
            + [[para(f"K-{n}", "cell"), para("åäö " * 20, "cell")] for n in range(80)],
            [100, 300])]

    a = build_pdf(story(), tmp_path / "a.pdf", INFO).path.read_bytes()
    b = build_pdf(story(), tmp_path / "b.pdf", INFO).path.read_bytes()
    assert a == b


def test_long_table_repeats_its_header_row_on_every_page(tmp_path):
    rows = [[para("Kolumnrubrik", "cell_head"), para("Värde", "cell_head")]]
    rows += [[para(f"rad {n}", "cell"), para("x", "cell")] for n in range(300)]
    built = build_pdf([data_table(rows, [200, 200])], tmp_path / "t.pdf", INFO)
    pages = pdf_text(built.path)
    assert len(pages) > 3
    assert all("Kolumnrubrik" in text for text in pages)
    assert "rad 299" in pages[-1]


def test_huge_cells_and_unbroken_words_never_raise_layout_error(tmp_path):
    huge = "Leverantören beskriver sin klimatplan med CO₂-mål. " * 600
    word = "x" * 20000
    rows = [[para("Id", "cell_head"), para("Svar", "cell_head")],
            [para("K-1", "cell"), para(huge, "cell")],
            [para("K-2", "cell"), para(word, "cell")],
            [para(word, "cell"), para("kort", "cell")]]
    story = [para(huge), para(word), data_table(rows, [80, 380])]
    built = build_pdf(story, tmp_path / "huge.pdf", INFO)
    text = "".join(pdf_text(built.path))
    assert built.pages > 8
    assert "kort" in text
    assert "\u25a0" not in text


def test_a_failed_build_leaves_no_file_behind(tmp_path):
    class Broken(Flowable):
        def wrap(self, *args):
            raise RuntimeError("boom")

    out = tmp_path / "r.pdf"
    with pytest.raises(RuntimeError):
        build_pdf([para("a"), Broken()], out, INFO)
    assert list(tmp_path.iterdir()) == []


def test_output_folder_problems_are_procure_errors(tmp_path):
    with pytest.raises(OutputFileError, match="folder does not exist"):
        build_pdf([para("a")], tmp_path / "nope" / "r.pdf", INFO)
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ProcureError):
        build_pdf([para("a")], blocker / "r.pdf", INFO)


def test_paragraph_objects_are_what_para_returns():
    assert isinstance(para("x", "cell"), Paragraph)
