"""A criteria set as a spreadsheet, for people who edit in Excel — and back.

One row per criterion × level (the level's params and text on the row, the criterion's fields
repeated), every field in a column so nothing is lost: texts one column per language, answer
rules one column per field, lists joined with ``; ``, nested parts (award rule, parameter
descriptions, sources) as JSON. Categories go to a second sheet (XLSX) or a second file
``<name>.kategorier.csv`` (CSV). Headers follow the run's language; reading accepts either.

Reading back is strict, because a spreadsheet is where a threshold is easiest to break by
accident: unknown or renamed columns, missing required columns, merged cells, an unknown level,
or criterion fields that differ between the rows of one criterion are each one clear error
naming the row and column. The result is then validated like any set.

Text that starts like a formula (``=``, ``+``, ``-``, ``@``) is written with a leading ``'``
(the project's formula guard, :func:`procure.io.outputs.neutralise`) and the quote is taken off
again on reading, so export → import gives the set back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procure.criteria.document import SetDocument
from procure.errors import ColumnError, InputFileError, OutputFileError
from procure.i18n import Msg, pick, tr
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


def _unguard(text: str) -> str:
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
            or _parse_scalar(text) != text:
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


# ---------------------------------------------------------------- reading

def _parse_scalar(text: str) -> Any:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    return text


def _where(file: Path, sheet: str | None, row: int, header: str | None = None) -> Msg:
    return tr("{sheet}row {row}{column}", "{sheet}rad {row}{column_sv}",
              sheet=f"{sheet}, " if sheet else "", row=row,
              column=f", column {header!r}" if header else "",
              column_sv=f", kolumn {header!r}" if header else "")


class _Reader:
    def __init__(self, file: Path, sheet: str | None) -> None:
        self.file, self.sheet = file, sheet
        self.headers: dict[str, str] = {}  # column key → the header as written in the file

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    def error(self, row: int, header: str | None, message: Msg, hint: Msg | None = None
              ) -> InputFileError:
        return InputFileError(message, file=self.file,
                              location=_where(self.file, self.sheet, row, header), hint=hint)

    def parse(self, text: str, col: Column, row: int, header: str) -> Any:
        text = _unguard(text.strip())
        if text == "":
            return None
        if col.kind == "int":
            if not re.fullmatch(r"\d+", text):
                raise self.error(row, header, tr("{found!r} is not a whole number",
                                                 "{found!r} är inget heltal", found=text))
            return int(text)
        if col.kind == "number":
            return _parse_scalar(text)
        if col.kind == "bool":
            if text.lower() not in ("true", "false", "ja", "nej", "yes", "no"):
                raise self.error(row, header, tr("{found!r} is not true or false",
                                                 "{found!r} är inte true eller false",
                                                 found=text))
            return text.lower() in ("true", "ja", "yes")
        if col.kind == "json" or (col.kind == "list" and text.startswith("[")):
            try:
                return json.loads(text)
            except ValueError as exc:
                raise self.error(row, header, tr("cannot be read as JSON ({error})",
                                                 "kan inte läsas som JSON ({error})",
                                                 error=exc.msg)) from None
        if col.kind == "list":
            return [item.strip() for item in text.split(";") if item.strip()]
        if col.kind == "params":
            return self._params(text, row, header)
        return text

    def _params(self, text: str, row: int, header: str) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if text == "{}":
            return params
        for part in _split_params(text):
            name, sep, value = part.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise self.error(row, header, tr(
                    "{found!r} is not name = value", "{found!r} är inte namn = värde",
                    found=part.strip()), hint=tr("write params as share_pct = 70; euro = 6",
                                                 "skriv parametrar som share_pct = 70; euro = 6"))
            if value.startswith('"'):
                try:
                    params[name] = json.loads(value)
                except ValueError:
                    raise self.error(row, header, tr("{found!r}: the quoted value is not closed",
                                                     "{found!r}: citattecknet stängs inte",
                                                     found=value)) from None
            elif value in ("true", "false"):
                params[name] = value == "true"
            else:
                params[name] = _parse_scalar(value)
        return params


def _split_params(text: str) -> list[str]:
    """Split ``a = 1; b = "x;y"`` at semicolons outside quotes."""
    parts, current, quoted, escaped = [], [], False, False
    for ch in text:
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _match_columns(headers: list[str], columns_for: Any, reader: _Reader
                   ) -> tuple[list[str], dict[int, Column]]:
    """Map header cells to columns (either language); languages from the title/name columns."""
    langs = sorted({m.group(1) for h in headers
                    if (m := re.search(r"\(([a-z]{2})\)\s*$", str(h)))})
    columns = columns_for(langs or ["sv"])
    by_label = {}
    for col in columns:
        by_label[col.sv.casefold()] = col
        by_label[col.en.casefold()] = col
    mapping: dict[int, Column] = {}
    for index, header in enumerate(headers):
        label = str(header).strip()
        if not label:
            continue
        col = by_label.get(label.casefold())
        if col is None:
            close = difflib.get_close_matches(label.casefold(), list(by_label), n=1, cutoff=0.6)
            guess = next((c for c in columns if close and close[0] in
                          (c.sv.casefold(), c.en.casefold())), None)
            raise reader.error(1, label, tr(
                "unknown column {found!r}{guess}", "okänd kolumn {found!r}{guess_sv}",
                found=label, guess=f"; did you mean {guess.en!r}?" if guess else "",
                guess_sv=f"; menade du {guess.sv!r}?" if guess else ""),
                hint=tr("keep the headers as exported", "behåll rubrikerna som de exporterades"))
        if col in mapping.values():
            raise reader.error(1, label, tr("column {found!r} appears twice",
                                            "kolumnen {found!r} finns två gånger", found=label))
        mapping[index] = col
    missing = [c for c in columns if c.required and c not in mapping.values()]
    if missing:
        lang_en = "; ".join(c.en for c in missing)
        lang_sv = "; ".join(c.sv for c in missing)
        raise ColumnError(tr("missing column(s): {names}", "kolumner saknas: {names_sv}",
                             names=lang_en, names_sv=lang_sv), file=reader.file,
                          location=reader.sheet,
                          hint=tr("export the set again to see every column",
                                  "exportera uppsättningen igen för att se alla kolumner"))
    return langs or ["sv"], mapping


def _records(rows: list[list[str]], columns_for: Any, reader: _Reader
             ) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    if not rows:
        raise InputFileError(tr("is empty; expected a header row and data rows",
                                "är tom; ska ha en rubrikrad och rader med data"),
                             file=reader.file, location=reader.sheet)
    langs, mapping = _match_columns(rows[0], columns_for, reader)
    reader.headers = {col.key: str(rows[0][index]).strip() for index, col in mapping.items()}
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(v).strip() for v in row):
            continue
        record: dict[str, Any] = {}
        for index, col in mapping.items():
            text = row[index] if index < len(row) else ""
            record[col.key] = reader.parse(str(text), col, number, rows[0][index])
        records.append((number, record))
    return langs, records


def _set_path(data: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        return
    parts = key.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


_LEVEL_KEYS = {"status", "level", "params"}


def _criteria_from(records: list[tuple[int, dict[str, Any]]], reader: _Reader
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    groups: dict[tuple[str, str, Any], tuple[int, dict[str, Any], dict[str, Any]]] = {}
    labels = {lbl.casefold(): code for code, names in _KIND_NAMES.items() for lbl in names}
    for row, rec in records:
        cid = rec.get("id")
        if not cid:
            raise reader.error(row, reader.header("id"), tr("the row has no criterion id",
                                             "raden saknar kriterie-id"))
        level = str(rec.get("level") or "").strip().lower()
        if level not in LEVELS:
            raise reader.error(row, reader.header("level"), tr(
                "unknown level {found!r}; expected one of {levels}",
                "okänd nivå {found!r}; ska vara en av {levels}",
                found=rec.get("level") or "", levels=", ".join(LEVELS)))
        if rec.get("kind") and str(rec["kind"]).casefold() in labels:
            rec["kind"] = labels[str(rec["kind"]).casefold()]
        status = rec.get("status") or LIVE
        if status not in (LIVE, RETIRED):
            raise reader.error(row, reader.header("status"), tr(
                "unknown status {found!r}; expected live or superseded",
                "okänd status {found!r}; ska vara live eller superseded", found=status))
        fields = {k: v for k, v in rec.items() if k not in _LEVEL_KEYS
                  and not k.startswith("level_text.")}
        key = (status, cid, fields.get("version"))
        variant: dict[str, Any] = {}
        if rec.get("params") is not None:
            variant["params"] = rec["params"]
        texts = {k.split(".", 1)[1]: v for k, v in rec.items()
                 if k.startswith("level_text.") and v is not None}
        if texts:
            variant["text"] = texts
        if key not in groups:
            groups[key] = (row, fields, {level: variant})
            continue
        first_row, first, levels = groups[key]
        for name in sorted(set(first) | set(fields)):
            if first.get(name) != fields.get(name):
                raise reader.error(row, reader.header(name), tr(
                    "{id} has another {field} than on row {first} ({found!r} vs {before!r}); a "
                    "criterion's fields must be the same on all its level rows",
                    "{id} har ett annat värde i {field} än på rad {first} ({found!r} mot "
                    "{before!r}); ett kriteriums fält ska vara lika på alla dess nivårader",
                    id=cid, field=reader.header(name), first=first_row, found=fields.get(name),
                    before=first.get(name)))
        if level in levels:
            raise reader.error(row, reader.header("level"), tr(
                "{id} has level {level} twice", "{id} har nivån {level} två gånger",
                id=cid, level=level))
        levels[level] = variant
    live, retired = [], []
    for (status, _, _), (_, fields, levels) in groups.items():
        criterion: dict[str, Any] = {}
        extra = fields.pop("extra", None) or {}
        for key, value in fields.items():
            _set_path(criterion, key, value)
        criterion["levels"] = {lv: levels[lv] for lv in LEVELS if lv in levels} \
            if list(levels) == sorted(levels, key=LEVELS.index) else levels
        criterion.update(extra)
        (live if status == LIVE else retired).append(criterion)
    return live, retired


_KIND_NAMES = {
    "qualification": ("Kvalificeringskrav", "Qualification requirement"),
    "technical_spec": ("Teknisk specifikation", "Technical specification"),
    "award": ("Tilldelningskriterium", "Award criterion"),
    "contract_clause": ("Särskilt kontraktsvillkor", "Contract performance clause"),
}


def _categories_from(records: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    out = []
    for _, rec in records:
        category: dict[str, Any] = {}
        extra = rec.pop("extra", None) or {}
        for key, value in rec.items():
            _set_path(category, key, value)
        category.update(extra)
        out.append(category)
    return out


def _check_unpacked_size(path: Path) -> None:
    """A shared workbook is untrusted: refuse one that unpacks to more than a set may hold
    (a few kilobytes of zip can expand to gigabytes) before openpyxl opens it."""
    import zipfile

    from procure.criteria.safety import MAX_SET_BYTES
    from procure.errors import UnsafeSetError

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile):
        raise InputFileError(tr("cannot be read as an Excel workbook (not a zip file)",
                                "kan inte läsas som en Excel-arbetsbok (ingen zip-fil)"),
                             file=path) from None
    if unpacked > 4 * MAX_SET_BYTES:
        raise UnsafeSetError(tr("unpacks to {mb} MB, more than a criteria set can hold",
                                "packas upp till {mb} MB, mer än en kriterieuppsättning kan "
                                "innehålla", mb=unpacked >> 20), file=path)


def _xlsx_rows(path: Path) -> dict[str, tuple[str, list[list[str]]]]:
    from openpyxl import load_workbook

    _check_unpacked_size(path)
    try:
        book = load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputFileError(tr("cannot be read as an Excel workbook ({error})",
                                "kan inte läsas som en Excel-arbetsbok ({error})",
                                error=type(exc).__name__), file=path) from None
    found: dict[str, tuple[str, list[list[str]]]] = {}
    for key, names in SHEETS.items():
        sheet = next((book[n] for n in names if n in book.sheetnames), None)
        if sheet is None:
            if key == "criteria" and len(book.sheetnames) == 1:
                sheet = book[book.sheetnames[0]]
            else:
                continue
        if sheet.merged_cells.ranges:
            merged = sorted(str(r) for r in sheet.merged_cells.ranges)
            raise InputFileError(tr(
                "has merged cells ({ranges}); every row must have its own values",
                "har sammanfogade celler ({ranges}); varje rad ska ha sina egna värden",
                ranges=", ".join(merged[:5])), file=path, location=sheet.title,
                hint=tr("unmerge the cells and fill in every row",
                        "dela upp de sammanfogade cellerna och fyll i varje rad"))
        # data_only=False: a formula someone typed is read as its text, never evaluated
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        found[key] = (sheet.title, rows)
    return found


def _csv_rows(path: Path) -> list[list[str]]:
    from procure.io.yamlio import read_text

    text = read_text(path, what="file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _header_from(rows: list[list[str]], reader: _Reader) -> dict[str, Any]:
    """The set's header from its ``field | value (JSON)`` sheet."""
    labels = {lbl.casefold() for pair in HEADER_COLUMNS for lbl in pair}
    if not rows or any(str(h).strip().casefold() not in labels for h in rows[0][:2] if h):
        found = ", ".join(repr(str(h)) for h in (rows[0] if rows else []))
        raise reader.error(1, None, tr("expected the columns Field and Value (JSON); found {found}",
                                       "ska ha kolumnerna Fält och Värde (JSON); har {found}",
                                       found=found or "–"))
    header: dict[str, Any] = {}
    for number, row in enumerate(rows[1:], start=2):
        key = str(row[0]).strip() if row else ""
        text = _unguard(str(row[1]).strip()) if len(row) > 1 else ""
        if not key:
            continue
        try:
            header[key] = json.loads(text)
        except ValueError as exc:
            raise reader.error(number, key, tr("cannot be read as JSON ({error})",
                                               "kan inte läsas som JSON ({error})",
                                               error=exc.msg)) from None
    return header


def import_table(path: str | Path, *, name: str, publisher: str, version: str | None = None,
                 title: dict[str, str] | None = None) -> SetDocument:
    """Read a set exported by :func:`export_xlsx` / :func:`export_csv` (and edited).

    ``name`` and ``publisher`` are the importer's to say (the set is theirs now); the rest of
    the header — format, title, version, languages, licence, sources — comes from the file's
    set sheet (``NAME.uppsattning.csv`` beside a CSV) when it has one, else ``version``
    1.0.0 and the name as title. The caller validates the document before writing it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        sheets = _xlsx_rows(path)
        if "criteria" not in sheets:
            raise InputFileError(tr("has no sheet named Kriterier/Criteria",
                                    "har inget blad som heter Kriterier/Criteria"), file=path)
        sheet_name, rows = sheets["criteria"]
        cat_sheet = sheets.get("categories")
        head_sheet = sheets.get("set")
    elif suffix == ".csv":
        if not path.is_file():
            raise InputFileError(tr("file does not exist", "filen finns inte"), file=path)
        sheet_name, rows = None, _csv_rows(path)
        side = next((p for p in (categories_file(path, "sv"), categories_file(path, "en"))
                     if p.is_file()), None)
        if side is None:
            raise InputFileError(tr("the categories file {side} is missing; export writes it "
                                    "beside the criteria file",
                                    "kategorifilen {side} saknas; exporten skriver den bredvid "
                                    "kriteriefilen", side=categories_file(path).name), file=path)
        cat_sheet = (side.name, _csv_rows(side))
        head = next((p for p in (header_file(path, "sv"), header_file(path, "en"))
                     if p.is_file()), None)
        head_sheet = (head.name, _csv_rows(head)) if head else None
    else:
        raise InputFileError(tr("expected an .xlsx or .csv file", "ska vara en .xlsx- eller "
                                ".csv-fil"), file=path)
    reader = _Reader(path, sheet_name)
    langs, records = _records(rows, criterion_columns, reader)
    live, retired = _criteria_from(records, reader)
    categories: list[dict[str, Any]] = []
    if cat_sheet is not None:
        side_file = path if suffix == ".xlsx" else path.with_name(cat_sheet[0])
        _, cat_records = _records(cat_sheet[1], category_columns,
                                  _Reader(side_file, cat_sheet[0] if suffix == ".xlsx" else None))
        categories = _categories_from(cat_records)
    header: dict[str, Any] = {"$schema": "procure/criteria-set/v1"}
    if head_sheet is not None:
        side_file = path if suffix == ".xlsx" else path.with_name(head_sheet[0])
        header.update(_header_from(head_sheet[1], _Reader(
            side_file, head_sheet[0] if suffix == ".xlsx" else None)))
    header.update(name=name, publisher=publisher)
    header["version"] = version or header.get("version") or "1.0.0"
    header["title"] = title or header.get("title") or dict.fromkeys(langs, name)
    header.setdefault("languages", langs)
    data = {**header, "categories": categories, "criteria": live, "superseded": retired}
    return SetDocument(data, str(path))
