"""Reading the spreadsheets users actually have: XLSX, or CSV as Swedish systems export it.

CSV files are sniffed rather than assumed: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode
text", tab-separated), else Windows-1252; the delimiter (``;`` is usual in Sweden because the
comma is the decimal sign) from the header line.

Finance systems put a report title, a date and empty rows above the header. The header is the
first row that holds the columns a command needs (else the first row with two filled cells), or
the row the user names (``header_row``). A header cell left empty is called "column 3", never
pandas' "Unnamed: 2". In an XLSX file, the value of a merged range applies to every cell it
covers.
Every value is read as text (``dtype=str, keep_default_na=False``): "N/A" and "None" are answers,
not missing values, and "1 234,5" must reach our own number parser untouched.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from procure.errors import ColumnError, InputFileError
from procure.i18n import Msg, pick, tr
from procure.io.workbook import read_workbook, sheet_names, sheet_rows

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ENCODINGS = ("utf-8-sig", "cp1252")
_HEADER_SEARCH = 30  # rows looked at for a header below a report title
# a column the XLSX reader adds: True where a row holds a sum formula (callers drop it)
SUM_ROW = "\x00sum_row"


@dataclass(frozen=True)
class TableInfo:
    """How a file was read, so commands can report the choice to the user."""

    path: Path
    kind: str  # "csv" | "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1  # 1-based, as the user sees it in Excel

    def describe(self, lang: str = "sv") -> str:
        """How the file was read, for the user: "spend.csv: CSV, UTF-8, avgränsare semikolon"."""
        header = (f", {pick(lang, 'rubrikrad', 'header row')} {self.header_row}"
                  if self.header_row != 1 else "")
        if self.kind == "xlsx":
            return (f"{self.path.name}: Excel, {pick(lang, 'blad', 'sheet')} {self.sheet!r}"
                    + header)
        enc = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16",
               "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(self.encoding or "",
                                                                  self.encoding)
        names = {";": ("semikolon", "semicolon"), ",": ("komma", "comma"), "\t": ("tabb", "tab"),
                 "|": ("lodstreck", "pipe")}
        sv, en = names.get(self.delimiter or "", (self.delimiter, self.delimiter))
        return f"{self.path.name}: CSV, {enc}, {pick(lang, 'avgränsare', 'delimiter')} " \
               f"{pick(lang, sv or '', en or '')}{header}"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputFileError(tr("file does not exist", "filen finns inte"), file=path)
    if path.is_dir():
        raise InputFileError(tr("is a folder; expected a .csv or .xlsx file",
                                "är en mapp; ska vara en .csv- eller .xlsx-fil"), file=path)
    if path.stat().st_size == 0:
        raise InputFileError(tr("file is empty; expected a header row and data rows",
                                "filen är tom; ska ha en rubrikrad och rader med data"),
                             file=path)


def detect_kind(path: Path) -> str:
    """'xlsx' or 'csv' from the content (not only the name), or a clear error."""
    _check_file(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:  # no permission, a broken network drive
        raise InputFileError(tr("cannot be read: {error}", "kan inte läsas: {error}",
                                error=exc.strerror or exc), file=path) from None
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise InputFileError(tr("looks like a damaged Excel file",
                                    "ser ut att vara en skadad Excel-fil"), file=path)
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if path.suffix.lower() in XLSX_SUFFIXES:  # Excel stores an encrypted .xlsx this way
            raise InputFileError(
                tr("is password-protected (encrypted), or an old Excel .xls file; expected an "
                   ".xlsx file without a password",
                   "är lösenordsskyddad (krypterad) eller en gammal Excel-fil (.xls); ska vara "
                   "en .xlsx-fil utan lösenord"), file=path,
                hint=tr("open it, remove the password and save it as .xlsx",
                        "öppna den, ta bort lösenordet och spara den som .xlsx"))
        raise InputFileError(tr("is an old Excel .xls file; expected .xlsx or .csv",
                                "är en gammal Excel-fil (.xls); ska vara .xlsx eller .csv"),
                             file=path, hint=tr("save it as .xlsx in Excel",
                                                "spara den som .xlsx i Excel"))
    if head.startswith(b"%PDF"):
        raise InputFileError(tr("is a PDF; expected a .csv or .xlsx spreadsheet",
                                "är en PDF; ska vara ett kalkylark (.csv eller .xlsx)"),
                             file=path)
    if _utf16(head):
        return "csv"
    if b"\x00" in head:
        raise InputFileError(tr("is a binary file, not a spreadsheet; expected .csv or .xlsx",
                                "är en binärfil, inte ett kalkylark; ska vara .csv eller .xlsx"),
                             file=path)
    return "csv"


def _utf16(head: bytes) -> str | None:
    """"utf-16" for Excel's "Unicode text" (with its BOM), "utf-16-le/be" without; else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    even, odd = head[0:200:2], head[1:200:2]
    if len(head) >= 4 and odd and odd.count(0) == len(odd) and 0 not in even:
        return "utf-16-le"
    if len(head) >= 4 and even and even.count(0) == len(even) and 0 not in odd:
        return "utf-16-be"
    return None


def _detect_encoding(path: Path) -> str:
    with open(path, "rb") as handle:
        sample = handle.read(1 << 20)
    wide = _utf16(sample[:4096])
    if wide:
        return wide
    for encoding in ENCODINGS:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            # a multi-byte character cut by the sample boundary is not an error
            if encoding.startswith("utf-8") and exc.start >= len(sample) - 3:
                return encoding
            continue
        if encoding == "cp1252" and any(ch in text for ch in "\x81\x8d\x8f\x90\x9d"):
            continue
        return encoding
    raise InputFileError(tr("text encoding could not be read (neither UTF-8 nor Windows-1252)",
                            "teckenkodningen kan inte läsas (varken UTF-8 eller Windows-1252)"),
                         file=path, hint=tr("save the file as UTF-8 CSV or as .xlsx",
                                            "spara filen som CSV i UTF-8 eller som .xlsx"))


def _sample_lines(path: Path, encoding: str) -> list[str]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(itertools.islice(handle, _HEADER_SEARCH + 21))


def _steadiest_delimiter(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number of parts (titles aside)."""
    best, score = ";", -1
    for delimiter in ";,\t|":
        counts = [line.count(delimiter) for line in lines if line.strip()]
        filled = [n for n in counts if n]
        if not filled:
            continue
        mode = max(set(filled), key=filled.count)
        if filled.count(mode) > score:
            best, score = delimiter, filled.count(mode)
    return best


def _split(line: str, delimiter: str) -> list[str]:
    return [cell.strip().lstrip("\ufeff") for cell in
            next(csv.reader([line], delimiter=delimiter), [])] if line.strip() else []


def find_header_row(rows: list[list[str]], columns: Sequence[str] = (),
                    header_row: int | None = None, path: Path | None = None) -> int:
    """The header's row number (1-based): given, the first row with ``columns``, else the
    first row with at least two filled cells (a report title above it is skipped)."""
    if header_row is not None:
        if not 1 <= header_row <= len(rows) or not any(rows[header_row - 1]):
            raise InputFileError(tr("row {n} is not a header row (it is empty or past the end "
                                    "of the file)",
                                    "rad {n} är ingen rubrikrad (den är tom eller efter "
                                    "filens slut)", n=header_row), file=path)
        missing = [c for c in columns if c not in rows[header_row - 1]]
        if missing:
            raise InputFileError(tr("row {n} is not the header row: it does not hold {missing}; "
                                    "it has: {found}",
                                    "rad {n} är inte rubrikraden: den saknar {missing}; den "
                                    "har: {found}", n=header_row,
                                    missing=", ".join(repr(c) for c in missing),
                                    found=", ".join(repr(c) for c in rows[header_row - 1] if c)),
                                 file=path, hint=tr("give the row with the column names as "
                                                    "--header-row", "ange raden med "
                                                    "kolumnnamnen som --header-row"))
        return header_row
    searched = rows[:_HEADER_SEARCH]
    if columns:
        for number, row in enumerate(searched, start=1):
            if all(c in row for c in columns):
                return number
    for number, row in enumerate(searched, start=1):
        if sum(1 for cell in row if cell) >= 2:
            return number
    return 1


def _detect_delimiter(path: Path, encoding: str, lines: list[str] | None = None) -> str:
    lines = lines if lines is not None else _sample_lines(path, encoding)
    header = lines[0] if lines else ""
    sample = "".join(lines[:21])
    if not header.strip():
        raise InputFileError(tr("first line is empty; expected a header row with column names",
                                "första raden är tom; ska vara en rubrikrad med kolumnnamn"),
                             file=path)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: header.count(d) for d in ";,\t|"}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def inspect(path: str | Path, sheet: str | int | None = None, *,
            header_row: int | None = None, columns: Sequence[str] = ()) -> TableInfo:
    """How to read a table: its kind, encoding, delimiter, sheet and header row.

    ``columns`` (the names a command needs) find the header below a report title;
    ``header_row`` (1-based) names it outright.
    """
    path = Path(path)
    kind = detect_kind(path)
    if kind == "xlsx":
        name = _sheet_name(path, sheet)
        rows = _xlsx_rows(path, name)
        return TableInfo(path, "xlsx", sheet=name,
                         header_row=find_header_row(rows, columns, header_row, path))
    if isinstance(sheet, str):
        raise InputFileError(tr("is a CSV file, which has no sheets; a sheet ({sheet!r}) is for "
                                "Excel files",
                                "är en CSV-fil, som inte har några blad; ett blad ({sheet!r}) "
                                "finns bara i Excel-filer", sheet=sheet),
                             file=path, hint=tr("leave out the sheet name",
                                                "utelämna bladets namn"))
    encoding = _detect_encoding(path)
    lines = _sample_lines(path, encoding)
    rough = _steadiest_delimiter(lines)
    number = find_header_row([_split(line, rough) for line in lines], columns, header_row, path)
    return TableInfo(path, "csv", encoding=encoding,
                     delimiter=_detect_delimiter(path, encoding, lines[number - 1:]),
                     header_row=number)


def _sheet_name(path: Path, sheet: str | int | None) -> str:
    try:
        names = sheet_names(path)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, InputFileError) as exc:
        raise InputFileError(tr("cannot be opened as an Excel workbook ({error})",
                                "kan inte öppnas som en Excel-arbetsbok ({error})", error=exc),
                             file=path) from None
    if sheet is None:
        return names[0]
    if isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise InputFileError(tr("has no sheet number {sheet}; it has {n}: {names}",
                                    "har inget blad nummer {sheet}; den har {n}: {names}",
                                    sheet=sheet, n=len(names), names=", ".join(names)),
                                 file=path)
        return names[sheet]
    if sheet not in names:
        raise InputFileError(tr("has no sheet {sheet!r}; sheets: {names}",
                                "har inget blad {sheet!r}; bladen heter: {names}",
                                sheet=sheet, names=", ".join(names)), file=path)
    return sheet


def _clean(frame: pd.DataFrame, info: TableInfo) -> pd.DataFrame:
    names = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    frame.columns = [str(tr("column {n}", "kolumn {n}", n=n)) if not name
                     or re.fullmatch(r"Unnamed: \d+", name) else name
                     for n, name in enumerate(names, start=1)]
    if len(frame.columns) == 0:
        raise InputFileError(tr("has no columns; expected a header row",
                                "har inga kolumner; ska ha en rubrikrad"), file=info.path)
    return frame


def iter_table(path: str | Path, *, chunksize: int = 100_000, sheet: str | int | None = None,
               info: TableInfo | None = None, sum_rows: bool = False) -> Iterator[pd.DataFrame]:
    """Read a table in chunks of text columns (memory stays flat for CSV of any size).

    ``sum_rows`` adds the boolean column :data:`SUM_ROW`: True where an XLSX row holds a sum
    formula (a ledger's total row), always False for CSV, which keeps no formulas.
    """
    info = info or inspect(path, sheet)
    if info.kind == "xlsx":
        frame = _read_xlsx(info)
        if not sum_rows:
            frame = frame.drop(columns=[SUM_ROW])
        for start in range(0, max(len(frame), 1), chunksize):
            yield frame.iloc[start:start + chunksize]
        return
    try:
        with pd.read_csv(
            info.path, sep=info.delimiter, encoding=info.encoding, dtype=str,
            keep_default_na=False, chunksize=chunksize, skipinitialspace=False,
            on_bad_lines="error", skiprows=info.header_row - 1,
        ) as reader:  # closes the file when a caller stops early
            start = 0
            for chunk in reader:
                chunk = _row_widths(chunk, info, start)
                start += len(chunk)
                chunk = _clean(chunk, info)
                if sum_rows:
                    chunk[SUM_ROW] = False
                yield chunk
    except pd.errors.EmptyDataError:
        raise InputFileError(tr("has no header row; expected column names on the first line",
                                "saknar rubrikrad; kolumnnamnen ska stå på första raden"),
                             file=info.path) from None
    except pd.errors.ParserError as exc:
        raise InputFileError(tr("is not a well-formed CSV ({error})",
                                "är ingen korrekt CSV-fil ({error})", error=_parser_error(exc)),
                             file=info.path,
                             hint=tr("check that every row has the same number of separators",
                                     "kontrollera att varje rad har lika många avgränsare")
                             ) from None
    except UnicodeDecodeError:
        raise InputFileError(tr("mixes text encodings (not valid UTF-8 throughout)",
                                "blandar teckenkodningar (inte giltig UTF-8 genom hela filen)"),
                             file=info.path,
                             hint=tr("save the file again as UTF-8 CSV",
                                     "spara filen på nytt som CSV i UTF-8")) from None


def _parser_error(exc: Exception) -> str | Msg:
    """pandas' "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4", in words."""
    text = str(exc).strip()
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if not found:
        return text
    return tr(text.replace("{", "{{").replace("}", "}}"),
              "rad {line} har {saw} värden men {n} förväntades",
              n=found.group(1), line=found.group(2), saw=found.group(3))


def _row_widths(chunk: pd.DataFrame, info: TableInfo, start: int) -> pd.DataFrame:
    """Rows wider than the header: trailing empty values are dropped, anything else refused.

    pandas takes the extra leading values of such rows as the row index, shifting every value
    one column to the right. Exports that end each data row with a separator ("1;2;3;") are
    put back in place; real extra values are an error (later rows of another width already
    raise a ParserError).
    """
    if isinstance(chunk.index, pd.RangeIndex):
        return chunk
    columns = list(chunk.columns)
    extra = chunk.index.nlevels
    restored = chunk.reset_index(allow_duplicates=True)
    if (restored.iloc[:, len(columns):] == "").all(axis=None):
        restored = restored.iloc[:, :len(columns)]
        restored.columns = columns
        restored.index = pd.RangeIndex(start, start + len(restored))
        return restored
    raise InputFileError(
        tr("line 2 has {n} values but the header row has {columns} columns; expected one value "
           "per column",
           "rad 2 har {n} värden men rubrikraden har {columns} kolumner; det ska vara ett värde "
           "per kolumn", n=len(columns) + extra, columns=len(columns)), file=info.path,
        hint=tr("check the separator ({sep!r}) and quoting in that line",
                "kontrollera avgränsaren ({sep!r}) och citattecknen på den raden",
                sep=info.delimiter))


_SUM_FORMULA = re.compile(r"^=\s*(?:SUM|SUMMA|SUBTOTAL|DELSUMMA|AGGREGATE|MÄNGD)\s*\(",
                          re.IGNORECASE)


def _xlsx_grid(path: Path, sheet: str | None) -> tuple[list[list[str]], set[int]]:
    """A sheet's cells as text rows, as Excel shows them, merged ranges filled in; and the
    (1-based) rows holding a sum formula (``=SUMMA(C2:C9)``), which total other rows.

    The last sheet read is kept (until the file changes): finding the header and reading the
    rows then parse the workbook once, not twice.
    """
    stat = path.stat()
    return _xlsx_grid_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size, sheet)


@functools.lru_cache(maxsize=1)
def _xlsx_grid_cached(path: str, _mtime: int, _size: int, sheet: str | None
                      ) -> tuple[list[list[str]], set[int]]:
    book = read_workbook(path, fill_merged=True)
    cells = book.get(sheet or "", next(iter(book.values()), {}))
    sums = {r for (r, _), c in cells.items() if c.formula and _SUM_FORMULA.match(c.formula)}
    return [[c.value.strip() if c else "" for c in row] for row in sheet_rows(cells)], sums


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    return _xlsx_grid(path, sheet)[0]


def _read_xlsx(info: TableInfo) -> pd.DataFrame:
    grid, sums = _xlsx_grid(info.path, info.sheet)
    rows = grid[info.header_row - 1:]
    if rows:
        width = max(len(r) for r in rows)
        header, body = rows[0], rows[1:]
        while width > 1 and not header[width - 1] and not any(
                len(r) >= width and r[width - 1] for r in body):
            width -= 1  # an empty trailing column
        frame = pd.DataFrame([r[:width] for r in body], columns=range(width), dtype=object)
        frame.columns = [*header[:width], *[""] * (width - len(header))]
    else:
        frame = pd.DataFrame()
    if frame.empty and len(frame.columns) == 0:
        raise InputFileError(tr("sheet {sheet!r} is empty; expected a header row and data",
                                "bladet {sheet!r} är tomt; ska ha en rubrikrad och data",
                                sheet=info.sheet), file=info.path)
    frame = _clean(frame, info)
    frame[SUM_ROW] = [info.header_row + 1 + i in sums for i in range(len(frame))]
    return frame


def read_table(path: str | Path, *, sheet: str | int | None = None,
               header_row: int | None = None, columns: Sequence[str] = ()
               ) -> tuple[pd.DataFrame, TableInfo]:
    """Read a whole table as text; returns the frame and how it was read (see :func:`inspect`)."""
    info = inspect(path, sheet, header_row=header_row, columns=columns)
    chunks = list(iter_table(path, info=info, chunksize=1_000_000))
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    return frame, info


def require_columns(frame: pd.DataFrame, columns: list[str], path: str | Path) -> None:
    """Raise one clear error listing missing columns and the columns that do exist."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(
            tr("column(s) {missing} not found; the file has: {found}",
               "kolumnen/kolumnerna {missing} finns inte; filen har: {found}",
               missing=", ".join(repr(c) for c in missing),
               found=", ".join(repr(c) for c in frame.columns)),
            file=path,
        )
