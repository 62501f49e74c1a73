"""The yearly follow-up report as a PDF: one summary page, then the details with their charts.

The content (every heading, figure and note) comes from :mod:`procure.reports.followup_content`,
shared with the XLSX writer; this module decides the layout: the summary page first (key
figures with last year beside them, where the next procurements should start), then each
section with its chart directly above the table that holds the same numbers, so the table is
the chart's text alternative. The document's title and language are set in the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from procure.i18n import pick
from procure.io.textfmt import format_number
from procure.register.factors import EmissionIndication
from procure.register.figures import FollowupIndicators
from procure.reports.charts import caption, horizontal_bars, vertical_bars
from procure.reports.followup_content import (
    PROCUREMENTS_EN,
    PROCUREMENTS_SV,
    CategoryNames,
    Labels,
    Section,
    TableData,
    count,
    definitions,
    fmt_cell,
    fmt_msek,
    scope,
    sections,
    summary_rows,
    title,
)
from procure.reports.fonts import BOLD, REGULAR
from procure.reports.layout import CONTENT_WIDTH, BuiltReport, PageInfo, build_pdf
from procure.reports.styles import ACCENT, ACCENT_LIGHT, RULE, data_table, para

CHART_ROWS = 12  # bars per chart; the table below holds every row


def _column_widths(texts: list[list[str]], numeric: list[bool]) -> list[float]:
    """Widths that keep numbers on one line and words whole, giving what is left to text.

    ``texts`` is the header row followed by the body rows, as printed. Each column needs at
    least its longest word (a number: its whole text); it would like its longest cell. When
    even the needs do not fit, every column shrinks in proportion.
    """
    pad = 8.5
    need: list[float] = []
    want: list[float] = []
    for col, is_number in enumerate(numeric):
        header = texts[0][col]
        body = [row[col] for row in texts[1:]]
        head_word = max((stringWidth(w, BOLD, 8) for w in header.split()), default=0)
        body_full = max((stringWidth(t, REGULAR, 8) for t in body), default=0)
        body_word = max((stringWidth(w, REGULAR, 8) for t in body for w in t.split(" ")),
                        default=0)
        least = max(head_word, body_full if is_number else min(body_word, 3 * cm)) + pad
        need.append(least)
        want.append(max(least, min(max(body_full, stringWidth(header, BOLD, 8) / 2) + pad,
                                   7 * cm)))
    if sum(need) >= CONTENT_WIDTH:
        return [w * CONTENT_WIDTH / sum(need) for w in need]
    if sum(want) > CONTENT_WIDTH:
        f = (CONTENT_WIDTH - sum(need)) / (sum(want) - sum(need))
        return [n + (w - n) * f for n, w in zip(need, want)]
    spare = CONTENT_WIDTH - sum(want)
    text_cols = [i for i, n in enumerate(numeric) if not n] or list(range(len(numeric)))
    return [w + (spare / len(text_cols) if i in text_cols else 0) for i, w in enumerate(want)]


def _pdf_table(table: TableData, lang: str) -> list[Flowable]:
    """The table as flowables: a heading, the rows (or the 'empty' line), its note."""
    out: list[Flowable] = [para(table.title, "h2")]
    rows = table.rows
    if not rows:
        return [*out, para(table.empty, "note")]
    shown = rows[: table.pdf_rows] if table.pdf_rows else rows
    numeric = [c.kind != "text" for c in table.columns]
    texts = [[c.header for c in table.columns],
             *[[fmt_cell(v, c.kind, lang) for v, c in zip(row, table.columns)] for row in shown]]
    widths = _column_widths(texts, numeric)
    head = [para(text, "cell_head_right" if n else "cell_head")
            for text, n in zip(texts[0], numeric)]
    body = [[para(text, "cell_right" if n else "cell") for text, n in zip(row, numeric)]
            for row in texts[1:]]
    out.append(data_table([head, *body], widths))
    if len(shown) < len(rows):
        out.append(para(pick(lang, f"… och {len(rows) - len(shown)} rader till; alla finns i "
                                   "JSON- och XLSX-utdata.",
                             f"… and {len(rows) - len(shown)} more rows; JSON and XLSX output "
                             "hold them all."), "note"))
    if table.note:
        out.append(para(table.note, "note"))
    return out


def _share_label(lang: str) -> Callable[[float], str]:
    return lambda v: f"{format_number(round(v), lang)} %"


def _msek_label(lang: str) -> Callable[[float], str]:
    return lambda v: format_number(round(v / 1e6, 2), lang)


def _chart(table: TableData, ind: FollowupIndicators, lab: Labels) -> Flowable | None:
    """The chart drawn above ``table``, for the tables that have one."""
    lang = lab.lang
    rows = table.rows[:CHART_ROWS]
    if not rows:
        return None
    if table.key in ("by_organisation", "by_category"):
        drawing = horizontal_bars([r[0] for r in rows], [[r[1] for r in rows], [r[2] for r in rows]],
                                  [lab.t("Upphandlingar", "Procurements"),
                                   lab.t("med klimatkrav", "with climate criteria")],
                                  CONTENT_WIDTH, lambda v: format_number(round(v), lang),
                                  whole=True)
        return drawing
    if table.key == "by_level":
        return horizontal_bars([r[0] for r in rows], [[r[1] for r in rows]],
                               [lab.t("Upphandlingar", "Procurements")], CONTENT_WIDTH,
                               lambda v: format_number(round(v), lang), whole=True)
    if table.key == "spend_by_category":
        return caption(horizontal_bars(
            [r[0] for r in rows], [[r[2] for r in rows], [r[3] for r in rows]],
            [lab.t("Inköp", "Spend"), lab.t("till leverantörer med klimatkrav",
                                            "to suppliers with climate criteria")],
            CONTENT_WIDTH, _msek_label(lang)),
            lab.t("Miljoner kronor", "Million SEK"))
    if table.key == "overdue":
        return horizontal_bars([r[0] for r in rows], [[r[1] for r in rows]],
                               [lab.t("Försenade kontrollpunkter", "Overdue checkpoints")],
                               CONTENT_WIDTH, lambda v: format_number(round(v), lang),
                               whole=True)
    if table.key == "trend":
        years = [str(h.key) for h in ind.trend]
        return vertical_bars(
            years, [[100 * (h.procurements.share_by_count or 0) for h in ind.trend],
                    [100 * (h.coverage or 0) for h in ind.trend],
                    [100 * (h.spend_covered_share or 0) for h in ind.trend]],
            [lab.t("Upphandlingar med klimatkrav", "Procurements with climate criteria"),
             lab.t("Uppföljningstäckning", "Follow-up coverage"),
             lab.t("Inköp med klimatkrav", "Spend with climate criteria")],
            CONTENT_WIDTH, 4 * cm, _share_label(lang), value_max=100)
    return None


def _with_note(chart: Flowable | None, table: TableData, lab: Labels) -> Flowable | None:
    """Say so under a chart that shows only the largest rows of its table."""
    if chart is None or len(table.rows) <= CHART_ROWS:
        return chart
    return KeepTogether([chart, para(lab.t(
        f"Diagrammet visar de {CHART_ROWS} största; tabellen har alla {len(table.rows)}.",
        f"The chart shows the {CHART_ROWS} largest; the table holds all {len(table.rows)}."),
        "note")])


def _section(section: Section, ind: FollowupIndicators, lab: Labels) -> list[Flowable]:
    lead: list[Flowable] = [para(section.title, "h1"), *[para(t) for t in section.intro]]
    if not section.tables:
        return [KeepTogether(lead)]
    story: list[Flowable] = []
    for table in section.tables:
        flowables = _pdf_table(table, lab.lang)
        chart = _with_note(_chart(table, ind, lab), table, lab)
        # the section heading, the table heading, its chart and the table stay on one page
        first = [*lead, flowables[0], *([chart, Spacer(1, 4)] if chart is not None else []),
                 flowables[1]]
        story.append(KeepTogether(first))
        story += flowables[2:]
        lead = []
    return story


def _summary_table(rows: list[tuple[str, str, str]], ind: FollowupIndicators, lang: str
                   ) -> Table:
    previous = any(r[2] for r in rows)
    head = [para(pick(lang, "Nyckeltal", "Key figure"), "cell_head"),
            para(str(ind.year), "cell_head_right")]
    if previous:
        head.append(para(str(ind.year - 1), "cell_head_right"))
    body = [[para(what, "cell"), para(now, "cell_right"),
             *([para(before, "cell_right")] if previous else [])] for what, now, before in rows]
    widths = [CONTENT_WIDTH - 9 * cm, 4.5 * cm, 4.5 * cm] if previous else \
        [CONTENT_WIDTH - 4.5 * cm, 4.5 * cm]
    return data_table([head, *body], widths)


def _callout(text: str) -> Table:
    table = Table([[para(text, "body")]], colWidths=[CONTENT_WIDTH])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                               ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                               ("BOX", (0, 0), (-1, -1), 0.4, RULE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _summary(ind: FollowupIndicators, em: EmissionIndication | None, lab: Labels,
             known_years: list[int]) -> list[Flowable]:
    lang = lab.lang
    story: list[Flowable] = [
        para(title(ind, lang), "title"),
        para(lab.t(f"{scope(ind, lang)} · underlag för Klimatkontrakt 2030, åtagande 6 · "
                   f"läget per {ind.as_of.isoformat()}",
                   f"{scope(ind, lang)} · for Klimatkontrakt 2030, commitment 6 · as of "
                   f"{ind.as_of.isoformat()}"), "subtitle"),
    ]
    if not ind.has_data:
        years = ", ".join(str(y) for y in known_years) or "–"
        story.append(_callout(lab.t(
            f"Registret har inga uppgifter för {ind.year}: inga upphandlingar startade, inga "
            f"avtal tecknade, ingen uppföljning och inga inköp. År med uppgifter: {years}.",
            f"The register holds nothing for {ind.year}: no procurements started, no contracts "
            f"signed, no follow-up and no spend. Years with data: {years}.")))
        return story
    story.append(para(lab.t("Sammanfattning", "Summary"), "h1"))
    story.append(_summary_table(summary_rows(ind, em, lang), ind, lang))
    top = ind.spend.top_uncovered[:3]
    if top:
        names = ", ".join(f"{lab.category(r.category)} ({fmt_msek(r.spend_sek, lang)})"
                          for r in top)
        story += [Spacer(1, 10), _callout(lab.t(
            f"Här bör nästa upphandlingar med klimatkrav börja – de kategorier där mest pengar "
            f"gick utan klimatkrav: {names}.",
            f"Where the next procurements with climate criteria should start – the categories "
            f"where most money went without any: {names}."))]
    if ind.eforms.climate_without_bt774:
        story += [Spacer(1, 6), para(lab.t(
            f"{count(ind.eforms.climate_without_bt774, 'sv', PROCUREMENTS_SV, PROCUREMENTS_EN)} "
            "med klimatkrav saknar BT-774 och syns inte i den nationella statistiken (se "
            "avsnittet om eForms).",
            "Procurements with climate criteria but no BT-774, so not in the national "
            f"statistics: {ind.eforms.climate_without_bt774} (see the eForms section)."),
            "note")]
    return story


def build_followup_pdf(ind: FollowupIndicators, output: str | Path, lang: str = "sv", *,
                       emissions: EmissionIndication | None = None,
                       categories: CategoryNames | None = None,
                       known_years: list[int] | None = None) -> BuiltReport:
    """Write the follow-up report for ``ind`` as a PDF at ``output`` (atomically)."""
    lab = Labels(lang, categories)
    story: list[Any] = _summary(ind, emissions, lab, known_years or [])
    if ind.has_data:
        story.append(PageBreak())
        for section in sections(ind, lang, emissions, categories):
            story += _section(section, ind, lab)
        story.append(para(lab.t("Så räknas siffrorna", "How the figures are counted"), "h1"))
        story += [para(text, "bullet", bullet="•") for text in definitions(lab)]
    info = PageInfo(title=title(ind, lang), reference=scope(ind, lang),
                    set_ref=f"procure · {ind.as_of.isoformat()}",
                    footer=lab.t("Klimatkontrakt 2030, åtagande 6", "Klimatkontrakt 2030, "
                                 "commitment 6"), lang=lang,
                    subject=lab.t("Uppföljning av klimatkrav i upphandling",
                                  "Follow-up of climate requirements in procurement"))
    return build_pdf(story, output, info)
