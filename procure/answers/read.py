"""Supplier answers: read them from wherever they come, and read what people typed.

Sources: a filled answer template per supplier (XLSX, a folder of them), or one combined table
as e-procurement systems export it — long (supplier, criterion_id, answer, evidence) or wide (a
row per supplier, a column per criterion id). All become one tidy frame, a row per supplier ×
criterion answered, every value kept verbatim as text.

Values are read tolerantly but never guessed: "Ja / ja / JA / Yes / X / ✓", "1,5", "1 234,5",
"70 %", "65 g/km", ISO dates. "N/A", "None" and "Ej tillämpligt" are answers (a person must look
at them), never silently empty. The parsers work on whole pandas columns at once; numbers and
amounts are read by :mod:`procure.io.numbers` (its parsers are importable from here too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from procure.errors import AnswerError, InputFileError
from procure.findings import Report
from procure.i18n import tr
from procure.io.numbers import normalise_text
from procure.io.numbers import normalise_unit as normalise_unit
from procure.io.numbers import parse_amount as parse_amount
from procure.io.numbers import parse_amounts as parse_amounts
from procure.io.numbers import parse_numbers as parse_numbers
from procure.io.tables import XLSX_SUFFIXES, detect_kind, read_table
from procure.io.workbook import Cell, read_workbook, sheet_rows
from procure.tender.template import read_filled_template

ANSWER_COLUMNS = ["supplier", "criterion_id", "answer", "evidence", "comment", "formula",
                  "source", "location"]
SUPPLIER_COLUMNS = ["supplier", "org_number", "bid_price_text", "bid_price_formula", "source",
                    "fingerprint", "bid_price_location"]

YES = frozenset({"ja", "j", "yes", "y", "x", "✓", "✔", "☑", "✅", "true", "sant", "1"})
NO = frozenset({"nej", "n", "no", "false", "falskt", "0", "✗", "✘", "☐"})
NOT_APPLICABLE = frozenset({
    "n/a", "na", "n.a.", "n.a", "none", "ej tillämpligt", "ej tillämplig", "inte tillämpligt",
    "e/t", "e.t.", "et", "not applicable", "saknas", "-", "–", "—", "?", "vet ej", "okänt",
    "unknown", "null", "ingen uppgift",
})
# "Ej aktuellt – vi använder inga dieselfordon": not applicable, with the supplier's reason
_NOT_APPLICABLE_WITH_REASON = re.compile(
    r"^(?:(?:ej|inte|icke)\s+(?:tillämplig|tillämpligt|aktuell|aktuellt|relevant|applicerbart)|"
    r"gäller\s+(?:ej|inte)|not\s+applicable|not\s+relevant|does\s+not\s+apply|"
    r"n/a|n\.a\.?|e/t|e\.t\.?)(?=$|[\s–—:;,.(!-])", re.IGNORECASE)
# "TST-FUEL-01:1", the version a criterion id was cited with
_ID_VERSION = re.compile(r"\s*:\s*\d+\s*$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?$")
_YES_EXTRA = re.compile(r"^(ja|yes|nej|no)\b[\s,.;:–—-]+\S", re.IGNORECASE)
_CHOICE_SPLIT = r"\s*[,;/\n+]\s*|\s+(?:och|and|&)\s+"
_CRITERION_ID = re.compile(r"^(?:[a-z0-9][a-z0-9._-]*/)?[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")

_ALIASES = {
    "supplier": {"supplier", "leverantör", "leverantor", "anbudsgivare", "bidder", "tenderer",
                 "supplier name", "leverantörens namn", "company", "företag", "leverantörsnamn"},
    "criterion_id": {"criterion id", "criterion", "kriterium", "krav id", "kravid", "id",
                     "requirement id", "question id", "fråga id", "kriterie id"},
    "answer": {"answer", "svar", "value", "värde", "response"},
    "evidence": {"evidence", "bevis", "verifikat", "referens", "reference", "evidence reference",
                 "bevis / referens", "evidence / reference", "bevis referens"},
    "comment": {"comment", "kommentar", "anmärkning", "comments"},
    "bid_price": {"bid price", "anbudspris", "pris", "price", "tender price", "anbudssumma",
                  "bid price sek", "anbudspris kr"},
    "org_number": {"org number", "organisationsnummer", "orgnr", "org nr",
                   "organisation number", "organization number"},
}
_EVIDENCE_SUFFIX = re.compile(r"^(?P<id>.+?)[\s_:.-]+(evidence|bevis|referens|reference)$",
                              re.IGNORECASE)


# --- value parsing (whole columns) ---------------------------------------------------------

def is_not_applicable(text: pd.Series) -> pd.Series:
    """True where the answer says "not applicable / none / unknown" in some form."""
    return text.str.casefold().str.rstrip(".!").isin(NOT_APPLICABLE) | text.str.contains(
        _NOT_APPLICABLE_WITH_REASON)


def criterion_key(ids: pd.Series) -> pd.Series:
    """How criterion ids are compared: case, spaces and a cited version do not matter.

    ``trn-fuel-01``, `` TRN-FUEL-01 `` and ``TRN-FUEL-01:1`` are all ``TRN-FUEL-01``.
    """
    return (ids.astype(str).str.replace(_ID_VERSION, "", regex=True)
            .str.replace(r"\s+", "", regex=True).str.upper())


def canonical_ids(ids: pd.Series, known: Iterable[str]) -> pd.Series:
    """Each typed id as the spec spells it where it is one of ``known``, else trimmed."""
    by_key = {key: cid for cid, key in zip(known, criterion_key(pd.Series(list(known),
                                                                       dtype=object)))}
    keys = criterion_key(ids)
    return keys.map(by_key).fillna(ids.astype(str).str.strip()).astype(object)


def parse_yes_no(text: pd.Series) -> pd.Series:
    """'yes', 'no', 'ambiguous' (yes/no followed by more text) or '' (not a yes/no)."""
    low = text.str.casefold().str.rstrip(".!")
    out = pd.Series(np.where(low.isin(YES), "yes", np.where(low.isin(NO), "no", "")),
                    index=text.index, dtype=object)
    extra = (out == "") & text.str.match(_YES_EXTRA)
    out[extra] = "ambiguous"
    return out


def parse_dates(text: pd.Series) -> pd.Series:
    """ISO dates (``2027-06-30``, also with a midnight time from Excel); NaT otherwise."""
    iso = text.str.extract(_ISO_DATE)[0]
    return pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")


def choice_key(values: pd.Series) -> pd.Series:
    """How choices are compared: case, spaces, dashes and dots do not matter."""
    return values.str.casefold().str.replace(r"[\s\-_.]+", "", regex=True)


def split_choices(text: pd.Series) -> pd.Series:
    """A multiple-choice answer as a list of its parts ("Svanen, EU Ecolabel")."""
    return text.str.split(_CHOICE_SPLIT, regex=True)


# --- reading sources -----------------------------------------------------------------------

@dataclass
class AnswerSet:
    """Every supplier's answers, tidy: one row per supplier × criterion answered."""

    answers: pd.DataFrame
    suppliers: pd.DataFrame
    report: Report
    sources: list[str] = field(default_factory=list)


# a folder is expanded to these; .txt is left out there, as it is more often a note than a table
FOLDER_SUFFIXES = (*XLSX_SUFFIXES, ".csv", ".tsv")
NOT_ANSWER_SUFFIXES = {".yaml": "the spec", ".yml": "the spec", ".json": "a JSON file",
                       ".pdf": "a PDF", ".doc": "a Word document", ".docx": "a Word document",
                       ".ods": "a LibreOffice spreadsheet", ".odt": "a LibreOffice document"}
_NOT_ANSWER_SV = {"the spec": "spec-filen", "a JSON file": "en JSON-fil", "a PDF": "en PDF",
                  "a Word document": "ett Word-dokument",
                  "a LibreOffice spreadsheet": "ett LibreOffice-kalkylark",
                  "a LibreOffice document": "ett LibreOffice-dokument"}


def _row(number: object) -> str:
    """``row 3`` where an answer was read in a table, in the message language (``_row("")``:
    the prefix)."""
    return str(tr("row {n}", "rad {n}", n=number))


def answer_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: files as given, folders expanded to their .xlsx/.csv files."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file()
                           and p.suffix.lower() in FOLDER_SUFFIXES
                           and not p.name.startswith(("~$", ".")))
            if not found:
                raise AnswerError(tr("folder holds no answer files (.xlsx or .csv)",
                                     "mappen innehåller inga svarsfiler (.xlsx eller .csv)"),
                                  file=path)
            files.extend(found)
        elif not path.exists():
            raise InputFileError(tr("file does not exist", "filen finns inte"), file=path)
        elif path.suffix.lower() in NOT_ANSWER_SUFFIXES:
            what = NOT_ANSWER_SUFFIXES[path.suffix.lower()]
            raise AnswerError(
                tr("is {what}, not an answer file; expected .xlsx or .csv",
                   "är {what_sv}, inte en svarsfil; ska vara .xlsx eller .csv",
                   what=what, what_sv=_NOT_ANSWER_SV[what]), file=path,
                hint=tr("the spec comes first: procure check SPEC ANSWERS...",
                        "spec-filen ska stå först: procure check SPEC ANSWERS...")
                if what == "the spec" else tr("save the answers as .xlsx or .csv",
                                              "spara svaren som .xlsx eller .csv"))
        else:
            files.append(path)
    unique = {p.resolve(): p for p in reversed(files)}  # a file given twice is read once
    return [p for p in files if unique.get(p.resolve()) is p]


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", " ", name.strip().casefold()).strip()


def _name_key(names: pd.Series) -> pd.Series:
    return names.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


@dataclass
class _Collected:
    answers: list[pd.DataFrame] = field(default_factory=list)
    rows: list[tuple[object, ...]] = field(default_factory=list)
    suppliers: list[dict[str, object]] = field(default_factory=list)


def _template_frames(tpl, out: _Collected, report: Report) -> None:
    path = tpl.path
    name_cell: Cell = tpl.supplier.get("name", Cell(""))
    supplier = name_cell.value.strip()
    if not supplier:
        supplier = path.stem
        report.add("supplier-name-missing", tr(
            "the supplier name is empty; using the file name {name!r}",
            "leverantörens namn är tomt; filnamnet {name!r} används i stället", name=supplier),
            file=str(path), severity="warning")
    bid: Cell = tpl.supplier.get("bid_price", Cell(""))
    org: Cell = tpl.supplier.get("org_number", Cell(""))
    cells = dict(item.partition("=")[::2] for item in
                 tpl.meta.get("supplier_cells", "").split(";") if "=" in item)
    out.suppliers.append({
        "supplier": supplier, "org_number": org.value.strip(),
        "bid_price_text": bid.formula or bid.value, "bid_price_formula": bid.formula is not None,
        "source": str(path), "fingerprint": tpl.fingerprint or "",
        "bid_price_location": f"{tpl.meta.get('supplier_sheet', '')}!{cells['bid_price']}"
        if "bid_price" in cells else "",
    })
    source = str(path)
    out.rows.extend(
        (supplier, cid, answer.formula or answer.value, evidence.value, comment.value,
         answer.formula is not None, source, location)
        for cid, answer, evidence, comment, location in tpl.rows)
    for address, text in tpl.stray:
        shown = text if len(text) <= 60 else text[:59] + "…"
        report.add("answer-without-id", tr(
            "{address}: {shown!r} is on a row without a criterion id and was not checked "
            "(supplier {supplier!r}); an answer belongs on its criterion's row",
            "{address}: {shown!r} står på en rad utan kriterie-id och har inte kontrollerats "
            "(leverantör {supplier!r}); ett svar ska stå på sitt kriteriums rad",
            address=address, shown=shown, supplier=supplier), file=source, severity="warning")


def _xlsx_table(path: Path, book: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first non-empty sheet as a text frame, and a same-shaped frame of formula flags."""
    for sheet in book.values():
        rows = sheet_rows(sheet)
        if rows:
            header = [c.value.strip() if c else "" for c in rows[0]]
            body = rows[1:]
            values = [[(c.formula or c.value) if c else "" for c in row] for row in body]
            formulas = [[bool(c and c.formula) for c in row] for row in body]
            columns = [h or str(tr("column {n}", "kolumn {n}", n=i + 1))
                       for i, h in enumerate(header)]
            return (pd.DataFrame(values, columns=columns, dtype=object),
                    pd.DataFrame(formulas, columns=columns, dtype=bool))
    raise AnswerError(tr("workbook has no filled cells; expected answers",
                         "arbetsboken har inga ifyllda celler; svar förväntades"), file=path)


def _resolve_columns(frame: pd.DataFrame) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in frame.columns:
        key = _key(str(column))
        for field_name, aliases in _ALIASES.items():
            if key in aliases and field_name not in found:
                found[field_name] = column
    return found


def _report_duplicate_columns(path: Path, frame: pd.DataFrame, report: Report) -> None:
    """A column name given twice: the first column is read, a filled second one is reported.

    pandas renames the second of two CSV columns "X" to "X.1"; an Excel sheet keeps both.
    """
    names = [str(c) for c in frame.columns]
    for index, name in enumerate(names):
        base = re.sub(r"\.\d+$", "", name)
        again = name in names[:index] or (base != name and base in names[:index])
        if again and (frame.iloc[:, index].astype(str).str.strip() != "").any():
            report.add("duplicate-column", tr(
                "column {name!r} appears more than once; the values in column {n} were not read",
                "kolumnen {name!r} förekommer mer än en gång; värdena i kolumn {n} lästes inte",
                name=base, n=index + 1), file=str(path), severity="warning")


def _table_frames(path: Path, frame: pd.DataFrame, formulas: pd.DataFrame | None,
                  criteria_ids: set[str], out: _Collected, report: Report) -> None:
    _report_duplicate_columns(path, frame, report)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    if formulas is not None:
        formulas = formulas.loc[:, ~formulas.columns.duplicated()]
    if frame.empty:
        raise AnswerError(tr("has a header row but no answers",
                             "har en rubrikrad men inga svar"), file=path)
    cols = _resolve_columns(frame)
    if "supplier" not in cols:
        raise AnswerError(tr(
            "is not an answer file: no supplier column; expected a filled answer template, a "
            "long table (supplier, criterion_id, answer, evidence) or a wide table (supplier "
            "and a column per criterion id); the file has: {columns}",
            "är ingen svarsfil: kolumnen för leverantör saknas; ska vara en ifylld svarsmall, "
            "en lång tabell (leverantör, kriterie-id, svar, bevis) eller en bred tabell "
            "(leverantör och en kolumn per kriterie-id); filen har: {columns}",
            columns=", ".join(repr(str(c)) for c in frame.columns)), file=path)
    text = frame.astype(str)
    supplier = text[cols["supplier"]].str.strip()
    keep = supplier != ""
    row_numbers = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    is_formula = (formulas if formulas is not None
                  else pd.DataFrame(False, index=frame.index, columns=frame.columns))
    if "criterion_id" in cols and "answer" in cols:
        def col(name: str) -> pd.Series:
            return text[cols[name]] if name in cols else pd.Series("", index=frame.index)
        long = pd.DataFrame({
            "supplier": supplier, "criterion_id": col("criterion_id").str.strip(),
            "answer": col("answer"), "evidence": col("evidence"), "comment": col("comment"),
            "formula": is_formula[cols["answer"]].to_numpy(), "source": str(path),
            "location": _row("") + row_numbers.astype(str),
        })[keep & (col("criterion_id").str.strip() != "")]
        # bid price and org number may come as a column or as pseudo-criterion rows
        pseudo = long["criterion_id"].map(lambda c: next(
            (k for k in ("bid_price", "org_number") if _key(c) in _ALIASES[k] or c == k), ""))
        meta = long[pseudo != ""].assign(field=pseudo[pseudo != ""])
        long = long[pseudo == ""]
        firsts = pd.DataFrame({"supplier": supplier[keep]})
        in_column = _row("") + row_numbers.astype(str) + str(tr(
            ", column {c}", ", kolumn {c}", c=cols.get("bid_price", "")))
        for name in ("bid_price", "org_number"):
            values = col(name)[keep] if name in cols else pd.Series("", index=firsts.index)
            rows_of = meta[meta["field"] == name].groupby("supplier")
            from_rows, where = rows_of["answer"].first(), rows_of["location"].first()
            fallback = pd.Series([from_rows.get(n, "") for n in firsts["supplier"]],
                                 index=firsts.index, dtype=object)
            given = values.str.strip() != ""
            firsts[name] = values.where(given, fallback)
            if name == "bid_price":
                firsts["bid_price_location"] = in_column[keep].where(given, pd.Series(
                    [where.get(n, "") for n in firsts["supplier"]], index=firsts.index,
                    dtype=object))
        firsts = firsts[firsts["supplier"] != ""]
        def first_filled(rows: pd.DataFrame) -> pd.Series:
            filled = rows[rows["bid_price"].astype(str).str.strip() != ""]
            row = (filled if not filled.empty else rows).iloc[0]
            org = next((v for v in rows["org_number"] if str(v).strip()), "")
            return pd.Series({"bid_price": row["bid_price"], "org_number": org,
                              "bid_price_location": row["bid_price_location"]
                              if str(row["bid_price"]).strip() else ""})

        for name, group in firsts.groupby("supplier", sort=False):
            row = first_filled(group)
            out.suppliers.append({"supplier": name, "org_number": str(row["org_number"]).strip(),
                                  "bid_price_text": row["bid_price"],
                                  "bid_price_formula": False, "source": str(path),
                                  "fingerprint": "",
                                  "bid_price_location": row["bid_price_location"]})
        out.answers.append(long[ANSWER_COLUMNS])
        return
    # wide: a column per criterion id (and optionally "<id> evidence")
    answer_cols: dict[str, str] = {}
    evidence_cols: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    known = sorted(criteria_ids)
    for column in frame.columns:
        name = str(column).strip()
        cid = canonical_ids(pd.Series([name], dtype=object), known).iloc[0]
        if cid in criteria_ids:
            answer_cols[cid] = column
            continue
        match = _EVIDENCE_SUFFIX.match(name)
        evidence_of = canonical_ids(pd.Series([match.group("id") if match else ""],
                                              dtype=object), known).iloc[0]
        if match and evidence_of in criteria_ids:
            evidence_cols[evidence_of] = column
        elif _CRITERION_ID.match(_ID_VERSION.sub("", name)):
            unknown.append((name, column))
    if not answer_cols and not unknown:
        raise AnswerError(tr(
            "has a supplier column but neither criterion_id/answer columns (long form) nor "
            "columns named after this spec's criterion ids (wide form); the file has: {columns}",
            "har en kolumn för leverantör men varken kolumner för kriterie-id och svar (lång "
            "form) eller kolumner som heter som den här upphandlingens kriterie-id (bred form); "
            "filen har: {columns}",
            columns=", ".join(repr(str(c)) for c in frame.columns)), file=path)
    for name, column in unknown:
        answer_cols[name] = column
    for cid, column in answer_cols.items():
        ev = text[evidence_cols[cid]] if cid in evidence_cols else pd.Series("", index=frame.index)
        out.answers.append(pd.DataFrame({
            "supplier": supplier, "criterion_id": cid, "answer": text[column], "evidence": ev,
            "comment": "", "formula": is_formula[column].to_numpy(), "source": str(path),
            "location": _row("") + row_numbers.astype(str)
            + str(tr(", column {c}", ", kolumn {c}", c=column)),
        })[keep][ANSWER_COLUMNS])
    for index in frame.index[keep]:
        bid_col, org_col = cols.get("bid_price"), cols.get("org_number")
        out.suppliers.append({
            "supplier": supplier[index],
            "org_number": text.at[index, org_col].strip() if org_col else "",
            "bid_price_text": text.at[index, bid_col] if bid_col else "",
            "bid_price_formula": bool(is_formula.at[index, bid_col]) if bid_col else False,
            "source": str(path), "fingerprint": "",
            "bid_price_location": str(tr("row {n}, column {c}", "rad {n}, kolumn {c}",
                                         n=row_numbers[index], c=bid_col)) if bid_col else "",
        })


def read_answers(
    paths: Sequence[str | Path],
    *,
    criteria_ids: Iterable[str] = (),
    fingerprint: str | None = None,
    strict_fingerprint: bool = True,
) -> AnswerSet:
    """Read every answer source into one tidy :class:`AnswerSet`.

    ``criteria_ids`` (the spec's) identify wide-table columns and mark answers for other ids
    as findings; ``fingerprint`` (the spec's) must match each template's unless
    ``strict_fingerprint`` is False, when a mismatch becomes a finding instead of an error.
    """
    ids = set(criteria_ids)
    report = Report(source=", ".join(str(p) for p in paths))
    out = _Collected()
    files = answer_files(paths)
    if not files:
        raise AnswerError(tr("no answer files given", "inga svarsfiler angivna"))
    for path in files:
        kind = detect_kind(path)
        if kind == "xlsx":
            book = read_workbook(path)
            tpl = read_filled_template(path, book)
            if tpl is not None and _blank(tpl):
                report.add("blank-template", tr(
                    "a blank answer template (no supplier name, bid price or answer); skipped",
                    "en tom svarsmall (inget leverantörsnamn, anbudspris eller svar); "
                    "hoppades över"), file=str(path), severity="info")
                continue
            if tpl is not None:
                _check_fingerprint(tpl, fingerprint, strict_fingerprint, report)
                _template_frames(tpl, out, report)
                continue
            frame, formulas = _xlsx_table(path, book)
            _table_frames(path, frame, formulas, ids, out, report)
        else:
            frame, _info = read_table(path)
            _table_frames(path, frame, None, ids, out, report)
    suppliers = pd.DataFrame(out.suppliers, columns=SUPPLIER_COLUMNS)
    _check_duplicate_suppliers(suppliers)
    frames = [pd.DataFrame(out.rows, columns=ANSWER_COLUMNS), *out.answers]
    answers = pd.concat(frames, ignore_index=True) if out.answers else frames[0]
    answers = answers.astype({c: str for c in ANSWER_COLUMNS if c != "formula"})
    answers["formula"] = answers["formula"].astype(bool)
    answers["criterion_id"] = canonical_ids(answers["criterion_id"], sorted(ids))
    answers = _drop_unknown_and_duplicates(answers, ids, report)
    shown = display_names(paths, files)
    answers["source"] = answers["source"].map(lambda s: shown.get(s, s))
    suppliers["source"] = suppliers["source"].map(lambda s: shown.get(s, s))
    report.findings = [replace(f, file=shown.get(f.file, f.file)) if f.file else f
                       for f in report.findings]
    return AnswerSet(answers.reset_index(drop=True), suppliers, report,
                     [str(p) for p in files])


def display_names(given: Sequence[str | Path], files: Sequence[Path]) -> dict[str, str]:
    """How each answer file is named to a person: relative to the answers folder it was found
    in ("02-gron-skolskjuts.xlsx", not the installation path), else as given.

    Names that would collide (two folders each with "svar.xlsx") keep their folder.
    """
    folders = [Path(p).resolve() for p in given if Path(p).is_dir()]
    shown: dict[str, str] = {}
    for path in files:
        resolved = path.resolve()
        folder = next((f for f in folders if f in resolved.parents), None)
        shown[str(path)] = resolved.relative_to(folder).as_posix() if folder else path.name
    if len(set(shown.values())) < len(shown):
        counts = pd.Series(list(shown.values())).value_counts()
        shown = {k: (v if counts[v] == 1 else Path(k).as_posix()) for k, v in shown.items()}
    return shown


def _blank(tpl) -> bool:
    """The template as written by ``procure template``: nothing filled in (often left in the
    answers folder next to the suppliers' files)."""
    filled = [cell for key in ("name", "bid_price", "org_number")
              if (cell := tpl.supplier.get(key)) is not None]
    if any(c.value.strip() or c.formula for c in filled):
        return False
    return not any(cell.value.strip() or cell.formula for row in tpl.rows
                   for cell in row[1:4]) and not tpl.stray


def _check_fingerprint(tpl, fingerprint: str | None, strict: bool,
                       report: Report) -> None:
    if fingerprint is None:
        return
    if not tpl.fingerprint:
        report.add("no-fingerprint", tr(
            "the workbook carries no template id, so it cannot be confirmed that it was made "
            "for this spec",
            "arbetsboken saknar mallens id, så det går inte att bekräfta att den gjordes för "
            "den här upphandlingen"), file=str(tpl.path), severity="warning")
        return
    if tpl.fingerprint == fingerprint:
        return
    made_for = tpl.meta.get("reference") or tpl.meta.get("title") or "another spec"
    message = tr("is an answer template for {made_for!r} (template id {template}), not for "
                 "this spec (id {spec}): its criteria or thresholds differ",
                 "är en svarsmall för {made_for!r} (mallens id {template}), inte för den här "
                 "upphandlingen (id {spec}): kriterierna eller gränsvärdena skiljer sig",
                 made_for=made_for, template=tpl.fingerprint, spec=fingerprint)
    if strict:
        raise AnswerError(message, file=tpl.path,
                          hint=tr("send the supplier a template made with `procure template` "
                                  "for this spec, or check with --ignore-fingerprint",
                                  "skicka leverantören en mall gjord med `procure template` för "
                                  "den här upphandlingen, eller kontrollera med "
                                  "--ignore-fingerprint"))
    report.add("template-mismatch", message, file=str(tpl.path), severity="warning")


def _check_duplicate_suppliers(suppliers: pd.DataFrame) -> None:
    if suppliers.empty:
        return
    keys = _name_key(suppliers["supplier"])
    dup = keys.duplicated(keep=False)
    if dup.any():
        first = keys[dup].iloc[0]
        clash = suppliers[keys == first]
        places = ", ".join(f"{Path(s).name}" for s in clash["source"])
        names = " / ".join(dict.fromkeys(clash["supplier"]))
        raise AnswerError(
            tr("supplier {names!r} appears more than once ({places}); each supplier must "
               "answer once",
               "leverantören {names!r} förekommer mer än en gång ({places}); varje leverantör "
               "ska svara en gång", names=names, places=places),
            hint=tr("remove the older file or correct the supplier name",
                    "ta bort den äldre filen eller rätta leverantörens namn"))


def _drop_unknown_and_duplicates(answers: pd.DataFrame, ids: set[str], report: Report
                                 ) -> pd.DataFrame:
    if ids:
        unknown = answers[~answers["criterion_id"].isin(ids)]
        in_table = _row("")  # "row " / "rad ": read from a table, not from a template
        for cid, group in unknown.groupby("criterion_id", sort=True):
            answered = group[normalise_text(group["answer"]) != ""]
            if answered.empty and group["location"].str.startswith(in_table).all():
                continue  # an empty column in a wide export is not worth a finding
            who = ", ".join(dict.fromkeys(group["supplier"]))
            files = ", ".join(dict.fromkeys(Path(s).name for s in group["source"]))
            report.add("unknown-criterion", tr(
                "answers for criterion id {id!r}, which is not part of this procurement, were "
                "ignored (suppliers: {who})",
                "svar på kriterie-id {id!r}, som inte ingår i den här upphandlingen, har "
                "ignorerats (leverantörer: {who})", id=cid, who=who), file=files,
                severity="warning")
        answers = answers[answers["criterion_id"].isin(ids)]
    dup = answers.duplicated(["supplier", "criterion_id"], keep="first")
    if dup.any():
        for (supplier, cid), group in answers[answers.duplicated(
                ["supplier", "criterion_id"], keep=False)].groupby(["supplier", "criterion_id"]):
            report.add("duplicate-answer", tr(
                "{supplier!r} answered {id} more than once ({places}); the first answer is used",
                "{supplier!r} har svarat på {id} mer än en gång ({places}); det första svaret "
                "används", supplier=supplier, id=cid, places=", ".join(group["location"])),
                file=group["source"].iloc[0], severity="warning")
        answers = answers[~dup]
    return answers
