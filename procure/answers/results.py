"""Writing the results of a check: XLSX (sheets per supplier, verdict, finding), CSV, JSON.

Supplier names and answers go through verbatim; text cells that would start a formula get a
leading ``'`` (:func:`procure.io.outputs.neutralise`). Every file is written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from procure.answers.verdicts import (
    STATUS_LABELS,
    SUPPLIER_COLUMNS,
    VERDICT_COLUMNS,
    VERDICT_LABELS,
    VERDICTS,
    Evaluation,
)
from procure.errors import OutputFileError
from procure.i18n import tr
from procure.io.outputs import neutralise, write_atomic, write_text_atomic
from procure.model import KIND_LABELS

RESULT_SUFFIXES = (".xlsx", ".csv", ".json")

_HEADERS = {
    "sv": {"supplier": "Leverantör", "status": "Status", "reason": "Motivering",
           "bid_price": "Anbudspris (kr)", "deductions": "Avdrag (kr)",
           "comparison_price": "Jämförelsepris (kr)", "points": "Poäng", "rank": "Rang",
           "met": "Uppfyllda", "not_met": "Ej uppfyllda", "missing": "Saknas",
           "invalid": "Ogiltiga", "review": "Granskas", "org_number": "Organisationsnummer",
           "remarks": "Anmärkning", "source": "Fil", "criterion_id": "Kriterium",
           "kind": "Typ", "verdict": "Bedömning", "answer": "Svar", "evidence": "Bevis",
           "comment": "Kommentar", "deduction_sek": "Avdrag (kr)", "title": "Rubrik",
           "location": "Cell", "reason_code": "Kod", "code": "Kod", "message": "Meddelande",
           "severity": "Allvar", "file": "Fil"},
    "en": {c: c.replace("_", " ").capitalize() for c in
           [*SUPPLIER_COLUMNS, *VERDICT_COLUMNS, "code", "message", "severity", "file"]},
}
_SHEETS = {"sv": ("Leverantörer", "Bedömning", "Fynd"), "en": ("Suppliers", "Verdicts",
                                                                "Findings")}


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    if "verdict" in out:
        out["verdict"] = out["verdict"].map(lambda x: VERDICT_LABELS.get(x, {}).get(lang, x))
    if "status" in out:
        out["status"] = out["status"].map(lambda x: STATUS_LABELS.get(x, {}).get(lang, x))
    if "kind" in out:
        out["kind"] = out["kind"].map(lambda x: KIND_LABELS.get(x, {}).get(lang, x))
    return out


# what a printed page needs comes first; the print area ends after it (see _PRINTED)
_XLSX_SUPPLIER_ORDER = ["rank", "supplier", "status", "comparison_price", "bid_price",
                        "deductions", "reason", "remarks", "points", *VERDICTS, "org_number",
                        "source"]
_XLSX_VERDICT_ORDER = ["supplier", "criterion_id", "verdict", "answer", "reason",
                       "deduction_sek", "points", "kind", "title", "evidence", "comment",
                       "source", "location"]
# columns printed per sheet (suppliers, verdicts, findings): A4 landscape at about 75 %+
_PRINTED = (8, 7, 4)
_FILLS = {"met": "E2EFDA", "not_met": "F8CBAD", "invalid": "F8CBAD", "missing": "FCE4D6",
          "review": "FFF2CC", "qualified": "E2EFDA", "not_qualified": "F8CBAD", "rejected": "F8CBAD",
          "pending_review": "FFF2CC"}
_MONEY = ("bid_price", "deductions", "comparison_price", "deduction_sek")


def _xlsx(evaluation: Evaluation, output: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    headers = _HEADERS[lang]
    findings = pd.DataFrame([f.to_dict() for f in evaluation.findings.findings],
                            columns=["code", "severity", "message", "file"])
    tables = (
        (evaluation.suppliers[_XLSX_SUPPLIER_ORDER], _SHEETS[lang][0]),
        (evaluation.verdicts[_XLSX_VERDICT_ORDER], _SHEETS[lang][1]),
        (findings, _SHEETS[lang][2]),
    )
    font = Font(name="Calibri")
    bold = Font(name="Calibri", bold=True)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in _FILLS.items()}
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = {"supplier": 30, "reason": 60, "answer": 22, "title": 34, "remarks": 40,
              "message": 90, "source": 28, "file": 28, "evidence": 26, "comment": 24,
              "status": 16, "criterion_id": 15, "kind": 22, "verdict": 14, "location": 12,
              "code": 18, "rank": 6, "met": 10, "not_met": 10, "missing": 9, "invalid": 9,
              "review": 9}
    for (frame, title), printed in zip(tables, _PRINTED):
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "C2" if "criterion_id" in frame else "B2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        columns = list(frame.columns)
        sheet.print_area = f"A1:{get_column_letter(printed)}{len(frame) + 1}"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = widths.get(column, 13)
        head = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=headers.get(column, column))
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            head.append(cell)
        sheet.append(head)
        labelled = _labelled(frame, lang)
        coded = {c: i for i, c in enumerate(columns) if c in ("verdict", "status")}
        money = [i for i, c in enumerate(columns) if c in _MONEY]
        # wrapping every reason of a large verdict sheet costs seconds; the width suffices
        wrapped = [i for i, c in enumerate(columns) if c in ("reason", "message", "remarks")
                   and len(frame) <= 2000]
        for raw, shown in zip(frame.itertuples(index=False), labelled.itertuples(index=False)):
            values = [_xlsx_value(v, ILLEGAL_CHARACTERS_RE) for v in shown]
            if not (coded or money or wrapped):
                sheet.append(values)
                continue
            cells: list[Any] = list(values)
            for i in money:
                if values[i] is None:
                    continue
                cells[i] = WriteOnlyCell(sheet, value=values[i])
                cells[i].number_format, cells[i].font = "#,##0", font
            for i in wrapped:
                cells[i] = WriteOnlyCell(sheet, value=values[i])
                cells[i].alignment, cells[i].font = wrap, font
            for column, i in coded.items():
                cells[i] = WriteOnlyCell(sheet, value=values[i])
                cells[i].font = font
                fill = fills.get(getattr(raw, column))
                if fill is not None:
                    cells[i].fill = fill
            sheet.append(cells)
    book.save(output)


def _xlsx_value(value: Any, illegal: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, bool | int | float):
        return value
    return neutralise(illegal.sub("\ufffd", str(value)))


def _csv_text(evaluation: Evaluation, lang: str) -> str:
    sup = evaluation.suppliers.set_index("supplier")[["status", "rank", "comparison_price"]]
    frame = evaluation.verdicts.join(sup, on="supplier")
    columns = ["supplier", "status", "rank", "comparison_price", "criterion_id", "kind",
               "verdict", "answer", "evidence", "reason", "reason_code", "deduction_sek",
               "points", "source", "location"]
    frame = _labelled(frame[columns], lang)  # verdict, status and kind in the reader's words
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
            frame[column] = frame[column].map(neutralise)
    sep, decimal = (";", ",") if lang == "sv" else (",", ".")
    return "\ufeff" + frame.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\n")


def write_evaluation(evaluation: Evaluation, output: str | Path, lang: str | None = None
                     ) -> Path:
    """Write the results as .xlsx (three sheets), .csv (a row per verdict) or .json."""
    output = Path(output)
    lang = lang or evaluation.lang
    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        return write_atomic(output, lambda tmp: _xlsx(evaluation, tmp, lang))
    if suffix == ".csv":
        return write_text_atomic(output, _csv_text(evaluation, lang))
    if suffix == ".json":
        text = json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=2, default=str)
        return write_text_atomic(output, text + "\n")
    raise OutputFileError(tr("unknown output format {suffix!r}", "okänt utdataformat {suffix!r}",
                             suffix=suffix or "(none)"), file=output,
                          hint=tr("name the output .xlsx, .csv or .json",
                                  "ge utfilen ändelsen .xlsx, .csv eller .json"))
