"""The answer template: an XLSX workbook suppliers fill in, and a fast reader for it.

One sheet asks for the supplier (name, organisation number, bid price), one has a row per
criterion with what to answer and a yellow answer cell (drop-downs for yes/no and choices). The
structure is protected so rows cannot drift; answer cells are text-formatted so Excel keeps
"70 %" and "1,5" as typed instead of turning them into 0.7 and a date. A hidden sheet carries
the spec's fingerprint, so a template made for another spec is recognised when checked.

Filled templates are read back through :mod:`procure.io.workbook` (fast, and it sees formulas).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procure.errors import AnswerError
from procure.i18n import choice_label, tr, unit_label
from procure.io.outputs import neutralise, write_atomic
from procure.io.textfmt import format_number
from procure.io.workbook import Cell, Sheet, cell_position, column_letter, read_workbook
from procure.io.workbook import sheet_rows as sheet_rows
from procure.model import KIND_LABELS, AwardRule, CriteriaSet, SelectedCriterion
from procure.tender.params import require_complete
from procure.tender.spec import ProcurementSpec

FORMAT = "procure-answer-template/v1"
META_SHEET = "procure"
SHEETS = {"sv": {"supplier": "Leverantör", "answers": "Svar"},
          "en": {"supplier": "Supplier", "answers": "Answers"}}
COLUMNS = ("id", "kind", "requirement", "how", "answer", "evidence", "comment")
HEADERS = {
    "sv": ("Id", "Typ av krav", "Krav", "Så svarar ni", "Svar", "Bevis / referens", "Kommentar"),
    "en": ("Id", "Kind", "Requirement", "How to answer", "Answer", "Evidence / reference",
           "Comment"),
}
WIDTHS = (15, 20, 62, 36, 18, 24, 30)
SUPPLIER_FIELDS = ("name", "org_number", "bid_price", "contact", "email")
SUPPLIER_LABELS = {
    "sv": ("Leverantörens namn", "Organisationsnummer", "Anbudspris (kr, exkl. moms)",
           "Kontaktperson", "E-post"),
    "en": ("Supplier name", "Organisation number", "Bid price (SEK, excl. VAT)",
           "Contact person", "E-mail"),
}
HEADER_ROW = 3
FIRST_SUPPLIER_ROW = 4
FONT = "Calibri"  # LibreOffice shows it as the metric-compatible Carlito
YES_NO = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}

_T = {
    "sv": {
        "title": "Svarsmall", "procurement": "Upphandling", "set": "Kriterieuppsättning",
        "level": "Nivå", "fingerprint": "Mallens id (ändra inte)",
        "intro": ("Fyll i de gula cellerna här och på bladet Svar. Skriv svaren som text: "
                  "Ja/Nej, tal med enhet (t.ex. 70 %) eller datum ÅÅÅÅ-MM-DD. Ange under "
                  "Bevis / referens var beviset finns (bilaga, certifikatnummer)."),
        "answers_intro": "Svara på varje rad i den gula kolumnen Svar. Krav markerade "
                         "”bevis krävs” behöver en referens i kolumnen Bevis.",
        "yes_no": "Ja eller Nej", "required_yes": "kravet: Ja",
        "number": "Ett tal i {unit}", "euro_class": "Euroklass, t.ex. 6 eller Euro VI",
        "at_least": "minst {v}", "at_most": "högst {v}",
        "between": "mellan {a} och {b}", "requirement": "krav",
        "one_of": "Ett av: {c}", "some_of": "Ett eller flera av: {c} (skilj med komma)",
        "accepted": "godtas: {c}", "date": "Datum ÅÅÅÅ-MM-DD",
        "not_after": "senast {d}", "not_before": "tidigast {d}",
        "text": "Fritext (bedöms manuellt)", "evidence": "Bevis krävs.",
        "deduct_sek": "{v} kr avdrag", "deduct_pct": "avdrag {v} % av anbudspriset",
        "points": "{v} poäng", "when_met": "Om uppfyllt: {v}.", "steps": "Utvärdering: {v}.",
        "eq": "= {v}", "pick": "Välj i listan", "pick_msg": "Välj ett värde i listan.",
        "type_prompt": "Skriv svaret",
    },
    "en": {
        "title": "Answer template", "procurement": "Procurement", "set": "Criteria set",
        "level": "Level", "fingerprint": "Template id (do not change)",
        "intro": ("Fill in the yellow cells here and on the Answers sheet. Write answers as "
                  "text: Yes/No, numbers with their unit (e.g. 70 %) or dates YYYY-MM-DD. Under "
                  "Evidence / reference say where the evidence is (annex, certificate number)."),
        "answers_intro": "Answer every row in the yellow Answer column. Rows marked "
                         "“evidence required” need a reference in the Evidence column.",
        "yes_no": "Yes or No", "required_yes": "required: Yes",
        "number": "A number in {unit}", "euro_class": "Euro class, e.g. 6 or Euro VI",
        "at_least": "at least {v}", "at_most": "at most {v}",
        "between": "between {a} and {b}", "requirement": "required",
        "one_of": "One of: {c}", "some_of": "One or more of: {c} (separate with commas)",
        "accepted": "accepted: {c}", "date": "Date YYYY-MM-DD",
        "not_after": "no later than {d}", "not_before": "no earlier than {d}",
        "text": "Free text (assessed by a person)", "evidence": "Evidence required.",
        "deduct_sek": "SEK {v} deducted", "deduct_pct": "{v} % of the bid price deducted",
        "points": "{v} points", "when_met": "If met: {v}.", "steps": "Evaluation: {v}.",
        "eq": "= {v}", "pick": "Pick from the list", "pick_msg": "Pick a value from the list.",
        "type_prompt": "Type the answer",
    },
}


def _n(value: Any, lang: str) -> str:
    return format_number(value, lang)


def award_text(award: AwardRule | None, unit: str | None, lang: str = "sv") -> str:
    """How an award criterion is scored, in words ("minst 25 %: avdrag 3 % av anbudspriset")."""
    if award is None:
        return ""
    t = _T[lang]
    key = {"price_deduction_sek": "deduct_sek", "price_deduction_pct": "deduct_pct",
           "points": "points"}[award.method]
    suffix = f" {unit}" if unit and unit != "%" else (" %" if unit == "%" else "")
    if not award.steps:
        return t["when_met"].format(v=t[key].format(v=_n(award.value, lang)))
    parts = []
    for step in award.steps:
        if step.equals is not None:
            cond = t["eq"].format(v=step.equals)
        elif step.at_least is not None:
            cond = t["at_least"].format(v=_n(step.at_least, lang) + suffix)
        else:
            cond = t["at_most"].format(v=_n(step.at_most, lang) + suffix)
        parts.append(f"{cond}: {t[key].format(v=_n(step.value, lang))}")
    return t["steps"].format(v="; ".join(parts))


def answer_guidance(selected: SelectedCriterion, lang: str = "sv") -> str:
    """What the supplier writes for this criterion, with the threshold and how it scores."""
    t = _T[lang]
    rule = selected.answer
    unit = unit_label(rule.unit, lang)
    if rule.type == "boolean":
        text = t["yes_no"] + ("" if selected.kind == "award" else f" ({t['required_yes']})")
    elif rule.type == "number":
        euro_class = "euro" in unit.casefold()
        text = t["euro_class"] if euro_class else t["number"].format(unit=unit)
        if euro_class:
            unit = ""
        bound = ""
        if rule.min is not None and rule.max is not None:
            bound = t["between"].format(a=_n(rule.min, lang), b=_n(rule.max, lang))
        elif rule.min is not None:
            bound = t["at_least"].format(v=_n(rule.min, lang))
        elif rule.max is not None:
            bound = t["at_most"].format(v=_n(rule.max, lang))
        if bound and selected.kind != "award":
            text += f" ({t['requirement']}: {bound} {unit}".rstrip() + ")"
    elif rule.type == "choice":
        shown = ", ".join(choice_label(c, lang) for c in rule.choices)
        text = t["some_of" if rule.multiple else "one_of"].format(c=shown)
        if rule.accepted and set(rule.accepted) != set(rule.choices):
            accepted = ", ".join(choice_label(c, lang) for c in rule.accepted)
            text += f" ({t['accepted'].format(c=accepted)})"
    elif rule.type == "date":
        text = t["date"]
        bounds = []
        if rule.not_before:
            bounds.append(t["not_before"].format(d=rule.not_before))
        if rule.not_after:
            bounds.append(t["not_after"].format(d=rule.not_after))
        if bounds:
            text += f" ({', '.join(bounds)})"
    else:
        text = t["text"]
    scoring = award_text(selected.award, rule.unit, lang)
    if scoring:
        text += "\n" + scoring
    if rule.evidence_required:
        text += "\n" + t["evidence"]
    return text


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs: a column fits about 1.2 characters of text per width unit."""
    per_line = max(int(width * 1.2) - 2, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def write_template(spec: ProcurementSpec, criteria_set: CriteriaSet,
                   selected: list[SelectedCriterion], output: str | Path, lang: str = "sv"
                   ) -> Path:
    """Write the answer template for ``spec`` to ``output`` (XLSX, atomically).

    Refuses while a buyer parameter is unset: suppliers cannot answer to an open value.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    require_complete(selected, spec.path)
    if lang not in _T:
        lang = "sv"
    t = _T[lang]
    names = SHEETS[lang]
    fingerprint = spec.fingerprint(selected)
    bold = Font(name=FONT, bold=True)
    title_font = Font(name=FONT, bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    thin = Side(style="thin", color="A6A6A6")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)

    book = Workbook()
    sup = book.active
    sup.title = names["supplier"]
    heading = f"{t['title']}: {spec.title}"
    sup["A1"] = neutralise(heading)
    sup["A1"].font = title_font
    sup["A2"] = neutralise(" · ".join(p for p in (spec.reference, spec.organisation) if p))
    sup.column_dimensions["A"].width = 34
    sup.column_dimensions["B"].width = 48
    cells: dict[str, str] = {}
    for offset, (key, label) in enumerate(zip(SUPPLIER_FIELDS, SUPPLIER_LABELS[lang])):
        row = FIRST_SUPPLIER_ROW + offset
        sup.cell(row, 1, label).font = bold
        value = sup.cell(row, 2)
        value.fill, value.border, value.protection = input_fill, box, unlocked
        value.number_format = "@"
        cells[key] = value.coordinate
    info_row = FIRST_SUPPLIER_ROW + len(SUPPLIER_FIELDS) + 1
    info = [
        (t["procurement"], " · ".join(p for p in (spec.reference, spec.title) if p)),
        (t["set"], criteria_set.ref),
        (t["level"], spec.level),
        (t["fingerprint"], fingerprint),
    ]
    for offset, (label, value) in enumerate(info):
        sup.cell(info_row + offset, 1, label).font = Font(name=FONT, color="595959")
        sup.cell(info_row + offset, 2, neutralise(value)).font = Font(name=FONT, color="595959")
    intro_row = info_row + len(info) + 1
    sup.cell(intro_row, 1, t["intro"]).alignment = wrap
    sup.merge_cells(start_row=intro_row, start_column=1, end_row=intro_row, end_column=2)
    sup.row_dimensions[intro_row].height = 15 * _lines(t["intro"], 80)
    sup.protection.sheet = True
    sup.protection.formatColumns = False
    sup.protection.formatRows = False

    ans = book.create_sheet(names["answers"])
    ans["A1"] = neutralise(f"{t['title']}: {spec.title}")
    ans["A1"].font = title_font
    ans["A2"] = t["answers_intro"]
    for col, (header, width) in enumerate(zip(HEADERS[lang], WIDTHS), start=1):
        cell = ans.cell(HEADER_ROW, col, header)
        cell.font, cell.fill, cell.border = bold, header_fill, box
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ans.column_dimensions[cell.column_letter].width = width

    meta = book.create_sheet(META_SHEET)
    yes_no = DataValidation(type="list", formula1='"' + ",".join(YES_NO[lang]) + '"',
                            allow_blank=True, showErrorMessage=True, errorStyle="warning",
                            errorTitle=t["pick"], error=t["pick_msg"])
    ans.add_data_validation(yes_no)
    list_col = 4
    for index, s in enumerate(selected):
        row = HEADER_ROW + 1 + index
        requirement = f"{s.title.get_lang(lang)}\n{s.text.get_lang(lang)}"
        how = answer_guidance(s, lang)
        values = (s.id, KIND_LABELS[s.kind][lang], requirement, how)
        for col, value in enumerate(values, start=1):
            cell = ans.cell(row, col, neutralise(value))
            cell.alignment, cell.border = wrap, box
        ans.cell(row, 1).font = bold
        for col in (5, 6, 7):
            cell = ans.cell(row, col)
            cell.fill, cell.border, cell.protection = input_fill, box, unlocked
            cell.alignment = wrap
            cell.number_format = "@"
        ans.row_dimensions[row].height = 14 * max(
            _lines(requirement, WIDTHS[2]), _lines(how, WIDTHS[3]), 2) + 3
        address = f"E{row}"
        rule = s.answer
        if rule.type == "boolean":
            yes_no.add(address)
        elif rule.type == "choice" and not rule.multiple:
            letter = ans.cell(1, list_col).column_letter
            meta.cell(1, list_col, s.id)
            for offset, choice in enumerate(rule.choices, start=2):
                meta.cell(offset, list_col, neutralise(choice_label(choice, lang)))
            dv = DataValidation(
                type="list", allow_blank=True, showErrorMessage=True, errorStyle="warning",
                formula1=f"{META_SHEET}!${letter}$2:${letter}${len(rule.choices) + 1}",
                errorTitle=t["pick"], error=t["pick_msg"])
            ans.add_data_validation(dv)
            dv.add(address)
            list_col += 1
        else:
            dv = DataValidation(allow_blank=True, showInputMessage=True,
                                promptTitle=t["type_prompt"], prompt=how.split("\n")[0][:250])
            ans.add_data_validation(dv)
            dv.add(address)
    ans.freeze_panes = ans.cell(HEADER_ROW + 1, 2)
    ans.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for sheet in (sup, ans):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    ans.protection.sheet = True
    ans.protection.formatColumns = False
    ans.protection.formatRows = False

    meta_rows = {
        "format": FORMAT, "fingerprint": fingerprint, "reference": spec.reference,
        "title": spec.title, "criteria_set": criteria_set.ref, "category": spec.category,
        "level": spec.level, "lang": lang, "supplier_sheet": names["supplier"],
        "answer_sheet": names["answers"], "header_row": str(HEADER_ROW),
        "supplier_cells": ";".join(f"{k}={v}" for k, v in cells.items()),
    }
    for row, (key, value) in enumerate(meta_rows.items(), start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, neutralise(value))
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = f"{t['title']}: {spec.title}"
    book.properties.creator = "procure"
    book.active = 0
    return write_atomic(output, book.save)


# --- reading filled templates ---------------------------------------------------------------

@dataclass
class FilledTemplate:
    """What one supplier wrote into an answer template."""

    path: Path
    meta: dict[str, str]
    supplier: dict[str, Cell]
    # (criterion id, answer, evidence, comment, cell address of the answer)
    rows: list[tuple[str, Cell, Cell, Cell, str]] = field(default_factory=list)
    # (cell address, text) typed on a row without a criterion id: reported, never dropped
    stray: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fingerprint(self) -> str | None:
        return self.meta.get("fingerprint") or None


_EMPTY = Cell("")


def _find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row of an answers sheet and the column of each field, by header text."""
    by_text = {h.casefold(): COLUMNS[i] for lang in HEADERS for i, h in enumerate(HEADERS[lang])}
    for row in range(1, 21):
        found = {by_text[cell.value.strip().casefold()]: col
                 for (r, col), cell in sheet.items()
                 if r == row and cell.value.strip().casefold() in by_text}
        if "id" in found and "answer" in found:
            return row, found
    return None


def read_filled_template(path: str | Path, book: Mapping[str, Sheet] | None = None
                         ) -> FilledTemplate | None:
    """Read a filled answer template; ``None`` when the workbook is not one of ours.

    Raises :class:`AnswerError` for a workbook that says it is our template (its hidden sheet)
    but whose answer sheet has lost its header row, rather than reading it as some other table.
    """
    path = Path(path)
    book = book if book is not None else read_workbook(path)
    meta: dict[str, str] = {}
    if META_SHEET in book:
        meta = {cell.value: book[META_SHEET].get((r, 2), _EMPTY).value
                for (r, c), cell in book[META_SHEET].items() if c == 1}
    answer_sheet = meta.get("answer_sheet")
    candidates = [answer_sheet] if answer_sheet in book else [
        name for lang in SHEETS for name in (SHEETS[lang]["answers"],) if name in book]
    for name in candidates:
        header = _find_header(book[name])
        if header is None:
            continue
        rows, stray = _answer_rows(book[name], name, *header)
        return FilledTemplate(path, meta, _supplier_cells(book, meta), rows, stray)
    if meta.get("format") == FORMAT:
        lang = meta.get("lang") if meta.get("lang") in HEADERS else "sv"
        sheet = answer_sheet or SHEETS[lang]["answers"]
        raise AnswerError(tr("is an answer template, but sheet {sheet!r} has no header row with "
                             "{id!r} and {answer!r}; expected it in row {row}",
                             "är en svarsmall, men bladet {sheet!r} har ingen rubrikrad med "
                             "{id!r} och {answer!r}; den ska stå på rad {row}",
                             sheet=sheet, id=HEADERS[lang][0], answer=HEADERS[lang][4],
                             row=meta.get("header_row") or HEADER_ROW),
                          file=path, hint=tr("copy the answers into a fresh template from "
                                             "`procure template`",
                                             "kopiera svaren till en ny mall från "
                                             "`procure template`"))
    return None


def _answer_rows(sheet: Sheet, name: str, header_row: int, columns: dict[str, int]
                 ) -> tuple[list[tuple[str, Cell, Cell, Cell, str]], list[tuple[str, str]]]:
    rows = []
    stray = []
    last = max((r for r, _ in sheet), default=header_row)
    for r in range(header_row + 1, last + 1):
        answer, evidence, comment = (sheet.get((r, columns.get(key, -1)), _EMPTY)
                                     for key in ("answer", "evidence", "comment"))
        cid = sheet.get((r, columns["id"]), _EMPTY).value.strip()
        if cid:
            rows.append((cid, answer, evidence, comment,
                         f"{name}!{column_letter(columns['answer'])}{r}"))
            continue
        for key, cell in (("answer", answer), ("evidence", evidence), ("comment", comment)):
            if cell.value.strip() or cell.formula:
                stray.append((f"{name}!{column_letter(columns.get(key, 0))}{r}",
                              cell.formula or cell.value))
    return rows, stray


def _supplier_cells(book: Mapping[str, Sheet], meta: dict[str, str]) -> dict[str, Cell]:
    sheet_name = meta.get("supplier_sheet") or next(
        (SHEETS[lang]["supplier"] for lang in SHEETS if SHEETS[lang]["supplier"] in book), "")
    sheet = book.get(sheet_name, {})
    result: dict[str, Cell] = {}
    if meta.get("supplier_cells"):
        for item in meta["supplier_cells"].split(";"):
            key, _, address = item.partition("=")
            position = cell_position(address)
            if position:
                result[key] = sheet.get(position, _EMPTY)
        return result
    labels = {label.casefold(): key for lang in SUPPLIER_LABELS
              for key, label in zip(SUPPLIER_FIELDS, SUPPLIER_LABELS[lang])}
    for (r, c), cell in sheet.items():
        key = labels.get(cell.value.strip().casefold())
        if key:
            result[key] = sheet.get((r, c + 1), _EMPTY)
    return result


def fill_template(template: str | Path, output: str | Path, supplier: Mapping[str, Any],
                  answers: Mapping[str, Any]) -> Path:
    """Write a filled copy of a template, as a supplier would (for examples, tests, demos).

    ``supplier`` maps the fields of :data:`SUPPLIER_FIELDS` to values; ``answers`` maps a
    criterion id to its answer, or to ``(answer, evidence)`` / ``(answer, evidence, comment)``.
    Values are written as given: a string starting with ``=`` becomes a formula, as in Excel.
    """
    from openpyxl import load_workbook

    book = load_workbook(template)
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows(max_col=2)}
    sup = book[meta["supplier_sheet"]]
    for item in str(meta["supplier_cells"]).split(";"):
        key, _, address = item.partition("=")
        if key in supplier:
            sup[address] = supplier[key]
    sheet = book[meta["answer_sheet"]]
    for row in sheet.iter_rows(min_row=int(meta["header_row"]) + 1):
        cid = row[0].value
        if cid not in answers:
            continue
        value = answers[cid]
        parts = value if isinstance(value, tuple) else (value,)
        for offset, part in enumerate(parts[:3]):
            row[4 + offset].value = part
    return write_atomic(output, book.save)
