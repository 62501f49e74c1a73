"""Reading a criteria set back from a spreadsheet exported by :mod:`procure.criteria.tabular`.

Strict, because a spreadsheet is where a threshold is easiest to break by accident: unknown or
renamed columns, missing required columns, merged cells, an unknown level, or criterion fields
that differ between the rows of one criterion are each one clear error naming the row and
column. A workbook is untrusted input, so one that unpacks beyond a set's size limit is refused
before it is opened. The caller validates the resulting document before writing it.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from pathlib import Path
from typing import Any

from procure.criteria.document import SetDocument
from procure.criteria.tabular import (
    HEADER_COLUMNS,
    LIVE,
    RETIRED,
    SHEETS,
    Column,
    categories_file,
    category_columns,
    criterion_columns,
    header_file,
    parse_scalar,
    unguard,
)
from procure.errors import ColumnError, InputFileError
from procure.i18n import Msg, tr
from procure.model import LEVELS


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
        text = unguard(text.strip())
        if text == "":
            return None
        if col.kind == "int":
            if not re.fullmatch(r"\d+", text):
                raise self.error(row, header, tr("{found!r} is not a whole number",
                                                 "{found!r} är inget heltal", found=text))
            return int(text)
        if col.kind == "number":
            return parse_scalar(text)
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
                params[name] = parse_scalar(value)
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
        text = unguard(str(row[1]).strip()) if len(row) > 1 else ""
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
