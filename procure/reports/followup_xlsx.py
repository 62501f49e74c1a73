"""The follow-up report as a workbook: the summary and each section on a sheet of its own.

Same tables as the PDF (from :mod:`procure.reports.followup_content`), but every row (the PDF
shortens long lists) and numbers as numbers, so a strategist can sort, filter and chart them in
Excel. Headers are in the run's language. Text is written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from procure.i18n import pick
from procure.io.outputs import write_atomic
from procure.register.factors import EmissionIndication
from procure.register.figures import FollowupIndicators
from procure.reports.followup_content import (
    CategoryNames,
    Labels,
    definitions,
    scope,
    sections,
    summary_rows,
    title,
)

SHEET_NAMES = {
    "procurement": ("Upphandling", "Procurement"),
    "eforms": ("eForms", "eForms"),
    "followup": ("Uppföljning", "Follow-up"),
    "spend": ("Inköp utan klimatkrav", "Spend gap"),
    "emissions": ("Utsläppsindikation", "Emissions indication"),
    "trend": ("Utveckling", "Trend"),
    "organisations": ("Per organisation", "By organisation"),
}
NUMBER_FORMATS = {"int": "#,##0", "sek": "#,##0", "msek": "#,##0", "share": "0.0%",
                  "tonnes": "#,##0.0", "factor": "0.0000", "date": "yyyy-mm-dd"}


def build_followup_xlsx(ind: FollowupIndicators, output: str | Path, lang: str = "sv", *,
                        emissions: EmissionIndication | None = None,
                        categories: CategoryNames | None = None) -> Path:
    """Write the workbook to ``output`` atomically and return its path."""
    lab = Labels(lang, categories)

    def write(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                              "strings_to_urls": False})
        bold = book.add_format({"bold": True})
        heading = book.add_format({"bold": True, "font_size": 14, "font_color": "#1F3A5F"})
        head = book.add_format({"bold": True, "bg_color": "#1F3A5F", "font_color": "#FFFFFF",
                                "text_wrap": True, "valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        formats = {kind: book.add_format({"num_format": fmt})
                   for kind, fmt in NUMBER_FORMATS.items()}
        book.set_properties({"title": title(ind, lang), "subject": scope(ind, lang),
                             "creator": "procure"})

        summary = book.add_worksheet(pick(lang, "Sammanfattning", "Summary"))
        summary.set_column(0, 0, 55)
        summary.set_column(1, 2, 24)
        summary.write_string(0, 0, title(ind, lang), heading)
        summary.write_string(1, 0, f"{scope(ind, lang)} · {ind.as_of.isoformat()}")
        if not ind.has_data:
            summary.write_string(3, 0, pick(lang, f"Registret har inga uppgifter för {ind.year}.",
                                            f"The register holds nothing for {ind.year}."))
        else:
            summary.write_row(3, 0, [pick(lang, "Nyckeltal", "Key figure"), str(ind.year),
                                     str(ind.year - 1)], head)
            for n, row in enumerate(summary_rows(ind, emissions, lang), start=4):
                for col, text in enumerate(row):
                    summary.write_string(n, col, text)
            for section in sections(ind, lang, emissions, categories):
                sv, en = SHEET_NAMES.get(section.key, (section.key, section.key))
                sheet = book.add_worksheet(pick(lang, sv, en)[:31])
                sheet.write_string(0, 0, section.title, heading)
                line = 1
                for text in section.intro:
                    sheet.write_string(line, 0, text)
                    line += 1
                widths: dict[int, int] = {}
                for table in section.tables:
                    line += 1
                    sheet.write_string(line, 0, table.title, bold)
                    line += 1
                    if not table.rows:
                        sheet.write_string(line, 0, table.empty)
                        line += 1
                        continue
                    for col, column in enumerate(table.columns):
                        unit = pick(lang, " (kr)", " (SEK)") if column.kind in ("sek", "msek") \
                            else ""
                        sheet.write_string(line, col, column.header + unit, head)
                        widths[col] = max(widths.get(col, 10), min(len(column.header) + 2, 40))
                    line += 1
                    for row in table.rows:
                        for col, (value, column) in enumerate(zip(row, table.columns)):
                            _cell(sheet, line, col, value, column.kind, formats)
                            if column.kind == "text" and value:
                                widths[col] = max(widths.get(col, 10), min(len(str(value)) + 2,
                                                                            60))
                        line += 1
                    if table.note:
                        sheet.write_string(line, 0, table.note)
                        line += 1
                for col, width in widths.items():
                    sheet.set_column(col, col, width, wrap if width >= 60 else None)
            notes = book.add_worksheet(pick(lang, "Så räknas siffrorna", "How figures are counted"))
            notes.set_column(0, 0, 120, wrap)
            for n, text in enumerate(definitions(lab)):
                notes.write_string(n, 0, text)
        book.close()

    return write_atomic(output, write)


def _cell(sheet: Any, row: int, col: int, value: Any, kind: str, formats: dict[str, Any]
          ) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif kind == "date":
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats["date"])
    elif kind in formats:
        sheet.write_number(row, col, float(value), formats[kind])
    else:
        sheet.write_string(row, col, str(value))
