"""A criteria set as a spreadsheet, for people who edit in Excel — and back.

One row per criterion × level (the level's params and text on the row, the criterion's fields
repeated), every field in a column so nothing is lost: texts one column per language, answer
rules one column per field, lists joined with ``; ``, nested parts (award rule, parameter
descriptions, sources) as JSON. Categories go to a second sheet (XLSX) or a second file
``<name>.kategorier.csv`` (CSV). Headers follow the run's language; reading accepts either.

Reading back (strictly) is :mod:`procure.criteria.tabular_import`; the columns and the quoting
rules both sides share are here.

Text that starts like a formula (``=``, ``+``, ``-``, ``@``) is written with a leading ``'``
(the project's formula guard, :func:`procure.io.outputs.neutralise`) and the quote is taken off
again on reading, so export → import gives the set back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procure.criteria.document import SetDocument
from procure.errors import OutputFileError
from procure.i18n import pick, tr
from procure.io.outputs import FORMULA_PREFIXES, neutralise, write_atomic, write_text_atomic
from procure.model import KINDS, LEVELS

LIVE, RETIRED = "live", "superseded"


@dataclass(frozen=True)
class Column:
    key: str  # dotted path in the criterion, or a pseudo key (level, params, status)
    sv: str
    en: str
    kind: str = "text"  # text | int | number | list | json | params | bool
    required: bool = False


def _lang_columns(key: str, sv: str, en: str, languages: list[str], required: bool = False,
                  ) -> list[Column]:
    return [Column(f"{key}.{lang}", f"{sv} ({lang})", f"{en} ({lang})", "text", required)
            for lang in languages]


def criterion_columns(languages: list[str]) -> list[Column]:
    return [
        Column("id", "Id", "Id", required=True),
        Column("status", "Status", "Status"),
        Column("version", "Version", "Version", "int"),
        Column("kind", "Typ", "Kind", required=True),
        Column("categories", "Kategorier", "Categories", "list", True),
        Column("level", "Nivå", "Level", required=True),
        Column("params", "Parametrar", "Params", "params"),
        *_lang_columns("level_text", "Nivåns kravtext", "Level text", languages),
        *_lang_columns("title", "Rubrik", "Title", languages, True),
        *_lang_columns("text", "Kravtext", "Requirement text", languages, True),
        *_lang_columns("verification", "Verifiering", "Verification", languages, True),
        *_lang_columns("follow_up", "Uppföljning", "Follow-up", languages, True),
        *_lang_columns("rationale", "Motiv", "Rationale", languages),
        Column("answer.type", "Svarstyp", "Answer type", required=True),
        Column("answer.unit", "Enhet", "Unit"),
        Column("answer.min", "Minst", "Min", "number"),
        Column("answer.max", "Högst", "Max", "number"),
        Column("answer.choices", "Alternativ", "Choices", "list"),
        Column("answer.accepted", "Godtagna alternativ", "Accepted choices", "list"),
        Column("answer.multiple", "Flera val", "Multiple", "bool"),
        Column("answer.not_before", "Tidigast", "Not before"),
        Column("answer.not_after", "Senast", "Not after"),
        Column("answer.evidence", "Underlag", "Evidence"),
        Column("award", "Tilldelning (JSON)", "Award (JSON)", "json"),
        Column("parameters", "Parameterbeskrivningar (JSON)", "Parameter descriptions (JSON)",
               "json"),
        Column("eforms", "eForms (JSON)", "eForms (JSON)", "json"),
        Column("sources", "Källor (JSON)", "Sources (JSON)", "json"),
        Column("origin", "Ursprung", "Origin"),
        Column("superseded", "Ersatt (JSON)", "Superseded (JSON)", "json"),
        Column("extra", "Övriga fält (JSON)", "Other fields (JSON)", "json"),
    ]


def category_columns(languages: list[str]) -> list[Column]:
    return [
        Column("id", "Id", "Id", required=True),
        *_lang_columns("name", "Namn", "Name", languages, True),
        *_lang_columns("description", "Beskrivning", "Description", languages),
        *[Column(f"keywords.{lang}", f"Sökord ({lang})", f"Keywords ({lang})", "list")
          for lang in languages],
        Column("cpv", "CPV", "CPV", "list"),
        Column("cvd", "Fordonsdirektivet", "Clean Vehicles Directive"),
        Column("extra", "Övriga fält (JSON)", "Other fields (JSON)", "json"),
    ]


_CRITERION_KEYS = {"id", "version", "kind", "categories", "title", "text", "verification",
                   "follow_up", "rationale", "answer", "award", "parameters", "eforms",
                   "sources", "origin", "superseded", "levels"}
_CATEGORY_KEYS = {"id", "name", "description", "keywords", "cpv", "cvd"}
SHEETS = {"criteria": ("Kriterier", "Criteria"), "categories": ("Kategorier", "Categories"),
          "set": ("Uppsättning", "Set")}
HEADER_COLUMNS = (("Fält", "Field"), ("Värde (JSON)", "Value (JSON)"))


# ---------------------------------------------------------------- writing

def _number_text(value: float | int, lang: str) -> str:
    text = str(value)
    return text.replace(".", ",") if lang == "sv" else text


def _guard(text: str) -> str:
    """The formula guard, also quoting a text that itself starts with ``'=`` (round trip)."""
    if text.startswith("'") and text[1:2] and text[1] in "".join(FORMULA_PREFIXES):
        return "'" + text
    return neutralise(text)


def unguard(text: str) -> str:
    if text.startswith("'") and text[1:2] and (text[1] in "".join(FORMULA_PREFIXES)
                                                 or text[1] == "'"):
        return text[1:]
    return text


def _plain_item(item: Any) -> bool:
    return isinstance(item, str) and item == item.strip() and item and ";" not in item \
        and not item.startswith(("[", '"'))


def _cell(value: Any, kind: str, lang: str) -> Any:
    """A value as the spreadsheet shows it (numbers stay numbers in XLSX)."""
    if value is None:
        return ""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if kind == "list":
        items = list(value)
        if items and all(_plain_item(i) for i in items):
            return "; ".join(items)
        return json.dumps(items, ensure_ascii=False)
    if kind == "params":
        if not value:
            return "{}"  # `params: {}` written out, so the round trip gives it back
        return "; ".join(f"{k} = {_param_text(v, lang)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _param_text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value, lang)
    text = str(value)
    if text != text.strip() or not text or re.search(r"[;=\"]", text) \
            or parse_scalar(text) != text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _get(data: dict[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _criterion_rows(criterion: dict[str, Any], status: str, columns: list[Column],
                    lang: str) -> list[list[Any]]:
    extra = {k: v for k, v in criterion.items() if k not in _CRITERION_KEYS}
    rows = []
    for level, variant in (criterion.get("levels") or {}).items():
        variant = variant or {}
        row = []
        for col in columns:
            if col.key == "status":
                value: Any = status
            elif col.key == "level":
                value = level
            elif col.key == "params":
                value = variant.get("params")
            elif col.key.startswith("level_text."):
                value = (variant.get("text") or {}).get(col.key.split(".", 1)[1])
            elif col.key == "extra":
                value = extra or None
            else:
                value = _get(criterion, col.key)
            row.append(_cell(value, col.kind, lang))
        rows.append(row)
    return rows


def _category_row(category: dict[str, Any], columns: list[Column], lang: str) -> list[Any]:
    extra = {k: v for k, v in category.items() if k not in _CATEGORY_KEYS}
    return [_cell(extra or None if col.key == "extra" else _get(category, col.key), col.kind,
                  lang) for col in columns]


def table_rows(document: SetDocument, lang: str = "sv"
               ) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Headers and rows of both tables: ``{"criteria": …, "categories": …}``."""
    languages = list(document.data.get("languages") or ["sv"])
    ccols, kcols = criterion_columns(languages), category_columns(languages)
    crows = []
    for criterion in document.criteria:
        crows += _criterion_rows(criterion, LIVE, ccols, lang)
    for criterion in document.superseded:
        crows += _criterion_rows(criterion, RETIRED, ccols, lang)
    krows = [_category_row(c, kcols, lang) for c in document.categories]
    hrows = [[key, json.dumps(value, ensure_ascii=False)] for key, value in document.header.items()]
    return {"criteria": ([pick(lang, c.sv, c.en) for c in ccols], crows),
            "categories": ([pick(lang, c.sv, c.en) for c in kcols], krows),
            "set": ([pick(lang, *h) for h in HEADER_COLUMNS], hrows)}


def export_xlsx(document: SetDocument, output: str | Path, lang: str = "sv") -> Path:
    """Write the set as an XLSX workbook: criteria sheet with drop-downs, categories sheet.

    No sheet protection (the file is for editing); kind, level and status cells have
    drop-down lists so a typo cannot slip in.
    """
    import xlsxwriter

    tables = table_rows(document, lang)

    def write(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False,
                                              "strings_to_formulas": False,
                                              "strings_to_urls": False})
        head = book.add_format({"bold": True, "bg_color": "#1F3A5F", "font_color": "#FFFFFF",
                                "text_wrap": True, "valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for key, (headers, rows) in tables.items():
            sheet = book.add_worksheet(pick(lang, *SHEETS[key]))
            for c, header in enumerate(headers):
                sheet.write_string(0, c, header, head)
                sheet.set_column(c, c, 40 if "(" in header else 14, wrap)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        sheet.write_number(r, c, value)
                    elif sheet.write_string(r, c, _guard(str(value))) == -2:  # truncated
                        raise OutputFileError(tr(
                            "{id}: the text in column {header!r} is longer than an Excel cell "
                            "holds (32,767 characters); export as YAML or CSV instead",
                            "{id}: texten i kolumnen {header!r} är längre än en Excel-cell "
                            "rymmer (32 767 tecken); exportera som YAML eller CSV i stället",
                            id=row[0], header=headers[c]), file=output)
            sheet.freeze_panes(1, 1)
            if key == "criteria":
                last = max(len(rows), 1) + 500  # room for rows the user adds
                for col_key, values in (("kind", KINDS), ("level", LEVELS),
                                        ("status", (LIVE, RETIRED))):
                    index = [c.key for c in criterion_columns(
                        list(document.data.get("languages") or ["sv"]))].index(col_key)
                    sheet.data_validation(1, index, last, index,
                                          {"validate": "list", "source": list(values)})
        book.close()

    return write_atomic(output, write)


def categories_file(path: Path, lang: str = "sv") -> Path:
    """``kriterier.csv`` → ``kriterier.kategorier.csv`` (the categories' sibling file)."""
    return path.with_name(f"{path.stem}.{pick(lang, 'kategorier', 'categories')}{path.suffix}")


def header_file(path: Path, lang: str = "sv") -> Path:
    """``kriterier.csv`` → ``kriterier.uppsattning.csv`` (title, version, format, sources)."""
    return path.with_name(f"{path.stem}.{pick(lang, 'uppsattning', 'set')}{path.suffix}")


def _csv_text(headers: list[str], rows: list[list[Any]], lang: str) -> str:
    delimiter = ";" if lang == "sv" else ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_guard(_number_text(v, lang) if isinstance(v, int | float)
                                and not isinstance(v, bool) else str(v)) for v in row])
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8


def export_csv(document: SetDocument, output: str | Path, lang: str = "sv") -> list[Path]:
    """Write the criteria CSV and its siblings, the categories and the set's header (``;``
    and BOM in Swedish)."""
    tables = table_rows(document, lang)
    out = Path(output)
    side, head = categories_file(out, lang), header_file(out, lang)
    write_text_atomic(head, _csv_text(*tables["set"], lang))
    write_text_atomic(side, _csv_text(*tables["categories"], lang))
    write_text_atomic(out, _csv_text(*tables["criteria"], lang))
    return [out, side, head]


def parse_scalar(text: str) -> Any:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    return text
