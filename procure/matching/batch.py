"""Matching many rows: a DataFrame in memory, or a ledger file of any size streamed to disk.

Ledger extracts repeat themselves (the same account text and invoice text month after month),
so rows are reduced to their distinct texts before matching and the results are spread back;
files are read in chunks, so memory stays flat however many rows there are.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import re
import warnings
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from procure.errors import InputFileError, OutputFileError, ProcureWarning
from procure.i18n import tr
from procure.io.numbers import normalise_text
from procure.io.numbers import parse_amounts as parse_sek
from procure.io.outputs import FORMULA_PREFIXES, check_not_input, neutralise, write_atomic
from procure.io.tables import SUM_ROW, TableInfo, inspect, iter_table, require_columns
from procure.matching.matcher import CONFIDENCES, Match, Matcher
from procure.matching.text import Token, numbers_blanked, tokens

RESULT_COLUMNS: tuple[str, ...] = (
    "category_id", "category_name", "score", "confidence", "runner_up_id", "runner_up_score",
    "why",
)
XLSX_MAX_ROWS = 1_048_575
_CPV_RE = r"\d{8}(?:-\d)?"
_PLAIN_NUMBER = re.compile(r"^[-+−]?[\d\s\u00a0.,]+$")
_NO_MATCH: tuple[Any, ...] = ("", "", 0, "none", "", 0, "")

Progress = Callable[[int, int], None]


def _row(top: Match | None, runner_up: Match | None) -> tuple[Any, ...]:
    if top is None:
        return _NO_MATCH
    return (top.category_id, top.name, top.score, top.confidence,
            runner_up.category_id if runner_up else "", runner_up.score if runner_up else 0,
            top.reason)


def _joined(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """The text columns of each row as one text (a "|" between them starts a new phrase)."""
    text = frame[columns[0]].astype(str)
    for column in columns[1:]:
        text = text.str.cat(frame[column].astype(str), sep=" | ")
    return text


@dataclass
class _BadCodes:
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def warn(self) -> None:
        if self.count:
            warnings.warn(
                str(tr("{n} CPV code(s) are not 8 digits, e.g. {examples}; those rows were "
                       "matched on text alone",
                       "{n} CPV-kod(er) har inte 8 siffror, t.ex. {examples}; de raderna "
                       "matchades bara på text", n=self.count,
                       examples=", ".join(self.examples))), ProcureWarning, stacklevel=3)


def _cpv_codes(values: pd.Series, first_row: int, bad: _BadCodes) -> pd.Series:
    """8-digit codes (``""`` where none); malformed non-empty codes are counted in ``bad``."""
    cleaned = values.astype(str).str.strip().str.replace(" ", "", regex=False)
    valid = cleaned.str.fullmatch(_CPV_RE)
    wrong = (~valid & (cleaned != "")).to_numpy()
    if wrong.any():
        positions = np.flatnonzero(wrong)
        bad.count += len(positions)
        for p in positions[: max(0, 3 - len(bad.examples))]:
            bad.examples.append(f"{str(values.iloc[p]).strip()!r} "
                                f"({tr('row', 'rad')} {first_row + int(p)})")
    return cleaned.str.slice(0, 8).where(valid, "")


# The state of a worker process: its matcher and its own caches of ranked keys, kept across
# chunks (set by _start_worker when the worker starts).
_WORKER: _Ranker | None = None
PARALLEL_MIN = 2_000  # fewer new texts than this in a chunk are matched in the parent
_ROUTE_CHARS = 32  # texts sharing this many first characters go to one worker
_ROUTES_PER_WORKER = 16  # groups of such texts per worker, for an even load


class _Ranker:
    """Result rows for texts, ranking each distinct *result key* once.

    A text's result depends on its tokens alone, and not even on all of their words: numbers
    are dropped whatever their digits (:func:`numbers_blanked`), and words the matcher cannot
    read as anything ("ref Anna Svensson") count only by where they stand (see
    :meth:`Matcher.result_key`). So a text is first looked up with its numbers blanked; a new
    one is tokenised, reduced to its result key and ranked once per key. Both caches evict
    their oldest entries when full.
    """

    def __init__(self, matcher: Matcher, cache_size: int, stable: bool = False) -> None:
        self.matcher = matcher
        # the hash of a token sequence, for the distinct count: Python's own within one process
        # and its forks; one that every process computes alike for spawned workers, whose
        # string hashing is seeded anew
        self.digest: Callable[[Any], int] = _stable_hash if stable else hash
        # an OrderedDict: evicting the oldest entry of a plain dict (``next(iter(d))``) walks
        # over every slot deleted before it, which made a 1M-row run spend a third of its time
        self.cache: OrderedDict[tuple[tuple[Token, ...], str | None], tuple[Any, ...]] = \
            OrderedDict()
        # text with numbers blanked (+ code) → (row, hash of its tokens and code)
        self.blanked: OrderedDict[tuple[str, str | None], tuple[tuple[Any, ...], int]] = \
            OrderedDict()
        self.cache_size = cache_size

    def rows(self, items: list[tuple[str, str | None]]) -> tuple[list[tuple[Any, ...]], list[int]]:
        """The result row of each (text, code), and the hash of each one's token sequence and
        code (for the count of distinct texts as the matcher reads them)."""
        m, cache, blanked, size = self.matcher, self.cache, self.blanked, self.cache_size
        rows: list[tuple[Any, ...]] = []
        hashes: list[int] = []
        with _gc_paused():
            for text, code in items:
                plain = (numbers_blanked(text), code)
                known = blanked.get(plain)
                if known is None:
                    toks = tokens(plain[0])
                    key = (m.result_key(toks), code)
                    row = cache.get(key)
                    if row is None:
                        row = _row(*m.best_two_of(m.rank_tokens(list(key[0]), code)))
                        if len(cache) >= size:
                            cache.popitem(last=False)  # the oldest entry
                        cache[key] = row
                    known = (row, self.digest((tuple(toks), code)))
                    if len(blanked) >= size:
                        blanked.popitem(last=False)
                    blanked[plain] = known
                rows.append(known[0])
                hashes.append(known[1])
        return rows, hashes


def start_method() -> str:
    """How workers start: forked where the system can (Linux, macOS: the matcher is shared as
    it is), else spawned (Windows: each worker gets a pickled copy, a second or so to start)."""
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods else "spawn"


def _stable_hash(value: Any) -> int:
    return int.from_bytes(hashlib.blake2b(repr(value).encode(), digest_size=8).digest(), "big")


def _start_worker(matcher: Matcher, cache_size: int, stable: bool) -> None:
    """In a new worker: its own ranker over the matcher it was given."""
    global _WORKER
    _WORKER = _Ranker(matcher, cache_size, stable)


def _worker_rows(items: list[tuple[str, str | None]]) -> tuple[list[tuple[Any, ...]], list[int]]:
    """In a worker: :meth:`_Ranker.rows` with the worker's own ranker."""
    assert _WORKER is not None
    return _WORKER.rows(items)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the hot loop: matching makes many small
    objects and no cycles, and a collection pass over a warm cache costs ~10 % of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _BatchMatcher:
    """Matches chunks of rows, reusing results for texts already seen.

    Raw text → result row here (a recurring invoice text is not even sent again), and in each
    process that ranks, text with its numbers blanked → row and result key → row (see
    :class:`_Ranker`); every cache evicts its oldest entries when full. New texts are split
    over ``workers`` forked processes when there are enough of them (see :meth:`_split`); each
    text's result is a pure function of its tokens, so the output is the same, in the same
    order, for any worker count.
    """

    def __init__(self, matcher: Matcher, cache_size: int = 300_000, workers: int = 1) -> None:
        self.matcher = matcher
        # spawned workers hash anew: this process must then hash as they do (see _Ranker)
        self.ranker = _Ranker(matcher, cache_size, stable=workers > 1 and start_method() != "fork")
        self.cache = self.ranker.cache
        self.texts: OrderedDict[str, tuple[Any, ...]] = OrderedDict()  # raw text (+code) → row
        self.cache_size = cache_size
        self.workers = max(1, workers)
        self.seen: set[int] = set()  # hashes of every distinct key, for a true distinct count
        self._pools: list[Any] = []  # one single-process pool per worker
        self._route: dict[int, int] = {}  # group of texts → the worker that always takes it
        self._load = [0] * self.workers  # texts sent to each worker so far

    @property
    def distinct(self) -> int:
        """Distinct texts as the matcher reads them (token sequences, with the CPV code)."""
        return len(self.seen)

    def _split(self, items: list[tuple[str, str | None]]) -> list[list[int]]:
        """The items for each worker. Texts that begin alike (one supplier and account) most
        likely share result keys, so they form a group, and a group always goes to the same
        worker, whose cache then holds its keys from chunk to chunk. New groups are handed
        out largest first, each to the worker with the least work so far."""
        count = self.workers * _ROUTES_PER_WORKER
        route, load = self._route, self._load
        groups = [hash(text[:_ROUTE_CHARS]) % count for text, _ in items]
        sizes = Counter(groups)
        for group, size in sorted(sizes.items(), key=lambda g: (-g[1], g[0])):
            if group not in route:
                route[group] = load.index(min(load))
            load[route[group]] += size
        shares: list[list[int]] = [[] for _ in range(self.workers)]
        for n, group in enumerate(groups):
            shares[route[group]].append(n)
        return shares

    def start(self, texts: pd.Series, codes: pd.Series | None) -> _Job:
        """Begin matching one chunk: the texts not seen before go to the workers, which rank
        them while the caller does other work (the previous chunk's amounts and writing);
        :meth:`finish` waits for them."""
        raw = texts if codes is None else texts + "\x1f" + codes
        index, distinct = pd.factorize(raw)
        uniques: list[str] = distinct.tolist()
        known = self.texts
        out = np.empty((len(uniques), len(RESULT_COLUMNS)), dtype=object)
        job = _Job(index, uniques, out)
        with _gc_paused():
            for n, value in enumerate(uniques):
                row = known.get(value)
                if row is None:
                    text, _, code = value.partition("\x1f")
                    job.todo.append(n)
                    job.items.append((text, code or None))
                else:
                    out[n] = row
        if self.workers > 1 and len(job.items) >= PARALLEL_MIN:
            if not self._pools:
                method = start_method()
                context = multiprocessing.get_context(method)
                self._pools = [context.Pool(1, initializer=_start_worker,
                                            initargs=(self.matcher, self.cache_size,
                                                      method != "fork"))
                               for _ in range(self.workers)]
            job.buckets = self._split(job.items)
            job.running = [pool.apply_async(_worker_rows, ([job.items[n] for n in share],))
                           for pool, share in zip(self._pools, job.buckets)]
        return job

    def finish(self, job: _Job) -> np.ndarray:
        """The object array (rows x RESULT_COLUMNS) of a chunk :meth:`start` began."""
        distinct, index = self.finish_distinct(job)
        return distinct[index]

    def finish_distinct(self, job: _Job) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`finish` as a row per distinct text and each row's index into it."""
        if job.running is not None:
            rows: list[tuple[Any, ...]] = [()] * len(job.items)
            hashes = [0] * len(job.items)
            for bucket, running in zip(job.buckets, job.running):
                part_rows, part_hashes = running.get()
                for n, row, key_hash in zip(bucket, part_rows, part_hashes):
                    rows[n] = row
                    hashes[n] = key_hash
        elif job.items:
            rows, hashes = self.ranker.rows(job.items)
        else:
            return job.out, job.index
        known, out, uniques = self.texts, job.out, job.uniques
        with _gc_paused():
            self.seen.update(hashes)
            for n, row in zip(job.todo, rows):
                if len(known) >= self.cache_size:
                    known.popitem(last=False)  # the oldest entry
                known[uniques[n]] = row
                out[n] = row
        return out, job.index

    def results(self, texts: pd.Series, codes: pd.Series | None) -> np.ndarray:
        """An object array (rows x RESULT_COLUMNS) for one chunk."""
        return self.finish(self.start(texts, codes))

    def close(self) -> None:
        for pool in self._pools:
            pool.terminate()
            pool.join()
        self._pools = []


@dataclass
class _Job:
    """One chunk on its way through :class:`_BatchMatcher`."""

    index: np.ndarray  # row → its distinct text
    uniques: list[str]  # the distinct texts (+ code)
    out: np.ndarray  # a result row per distinct text, filled from the cache and the workers
    todo: list[int] = field(default_factory=list)  # distinct texts not in the cache …
    items: list[tuple[str, str | None]] = field(default_factory=list)  # … as (text, code)
    buckets: list[list[int]] = field(default_factory=list)  # items per worker
    running: list[Any] | None = None  # each worker's AsyncResult


def match_frame(frame: pd.DataFrame, matcher: Matcher, text_columns: str | Sequence[str],
                cpv_column: str | None = None, *, workers: int = 1) -> pd.DataFrame:
    """Match every row of ``frame``; returns the result columns, index aligned with ``frame``.

    ``text_columns`` are joined per row (supplier, account text, invoice text …). Rows with a
    valid CPV code in ``cpv_column`` are decided by it; malformed codes give one
    :class:`~procure.errors.ProcureWarning` for the whole frame and are matched on text.
    """
    columns = [text_columns] if isinstance(text_columns, str) else list(text_columns)
    if not columns:
        raise ValueError("give at least one text column")
    require_columns(frame, [*columns, *([cpv_column] if cpv_column else [])], tr("the DataFrame", "tabellen"))
    bad = _BadCodes()
    codes = _cpv_codes(frame[cpv_column], 0, bad) if cpv_column else None
    bad.warn()
    batch = _BatchMatcher(matcher, workers=workers)
    try:
        values = batch.results(_joined(frame, columns), codes)
    finally:
        batch.close()
    result = pd.DataFrame(values, columns=list(RESULT_COLUMNS), index=frame.index)
    for column in ("score", "runner_up_score"):
        result[column] = result[column].astype("int64")
    return result


# --------------------------------------------------------------------------- amounts


def decimal_mark(info: TableInfo) -> str:
    """"," for Swedish CSV (semicolon or tab separated), "." otherwise (and for Excel)."""
    return "," if info.kind == "csv" and info.delimiter in (";", "\t") else "."


def parse_amounts(values: pd.Series, decimal: str = ",") -> tuple[np.ndarray, np.ndarray]:
    """Amounts as floats (0 where unreadable) and a mask of non-empty cells that are not amounts.

    Uses the project's one amount parser (:func:`procure.io.numbers.parse_amounts`): "1 234,50",
    "1.234,50", "-1234.50", "1 234 kr", "−50", "450 tkr". ``decimal`` is the file's decimal sign.
    """
    parsed = parse_sek(values, decimal)
    bad = ~parsed["ok"].to_numpy(dtype=bool)
    if bad.any():  # an empty cell is no amount, not an unreadable one
        bad[bad] = (normalise_text(values[bad]) != "").to_numpy()
    return parsed["value"].fillna(0.0).to_numpy(dtype=float), bad


# --------------------------------------------------------------------------- whole files


@dataclass
class MatchSummary:
    """What ``match_file`` did: how the input was read, what matched, spend per category."""

    input: TableInfo
    output: Path
    rows: int = 0
    distinct_texts: int = 0
    matched_rows: int = 0
    by_confidence: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        (*CONFIDENCES, "none"), 0))
    decimal: str | None = None
    amount_column: str | None = None
    spend: dict[str, float] = field(default_factory=dict)
    spend_rows: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    total_amount: float = 0.0
    unmatched_amount: float = 0.0
    bad_amounts: int = 0
    # total and subtotal rows ("Summa", "Totalt"): not spend; (row number, text) of each
    total_rows: list[tuple[int, str]] = field(default_factory=list)

    @property
    def unmatched_share(self) -> float:
        """The share of spend matched to no category (0–1)."""
        return self.unmatched_amount / self.total_amount if self.total_amount else 0.0

    def spend_by_category(self) -> list[tuple[str, str, int, float, float]]:
        """(category id, name, rows, amount, share of total), largest amount first."""
        total = self.total_amount or 1.0
        rows = [(cid, self.names.get(cid, ""), self.spend_rows.get(cid, 0), amount,
                 amount / total) for cid, amount in self.spend.items()]
        return sorted(rows, key=lambda r: (-r[3], r[0]))

    def to_dict(self, lang: str = "sv") -> dict[str, Any]:
        """JSON-ready; ``read_as`` (how the file was read) in ``lang``."""
        out: dict[str, Any] = {
            "input": str(self.input.path), "read_as": self.input.describe(lang),
            "header_row": self.input.header_row,
            "output": str(self.output), "rows": self.rows,
            "distinct_texts": self.distinct_texts, "matched_rows": self.matched_rows,
            "by_confidence": dict(self.by_confidence),
        }
        if self.amount_column:
            out["spend"] = {
                "amount_column": self.amount_column, "decimal": self.decimal,
                "total": round(self.total_amount, 2),
                "unmatched": round(self.unmatched_amount, 2),
                "unmatched_share": round(self.unmatched_share, 4),
                "unreadable_amounts": self.bad_amounts,
                "total_rows_left_out": len(self.total_rows),
                "total_rows": [{"row": r, "text": t} for r, t in self.total_rows],
                "by_category": [
                    {"category_id": c, "category_name": n, "rows": r, "amount": round(a, 2),
                     "share": round(s, 4)} for c, n, r, a, s in self.spend_by_category()],
            }
        return out


_TOTAL_WORD = re.compile(
    r"^(?:summa|totalt?|totalsumma|delsumma|slutsumma|summering|subtotal|sub-total|grand total|"
    r"sum)(?:\s*[:.]?|\s+\S+\s*:?)$", re.IGNORECASE)


def total_rows(chunk: pd.DataFrame, amount_column: str) -> pd.Series:
    """Rows that sum others ("Summa", "Totalt januari", "Delsumma:") rather than record spend.

    A row counts as one when a cell other than the amount is such a word and some other cell
    of the row is empty — a supplier called "Summa Bygg AB" on a full row is spend.
    """
    found = pd.Series(False, index=chunk.index)
    rest = chunk.drop(columns=[amount_column])
    if rest.empty:
        return found
    # first the rows with an empty cell (few in a ledger), then the words in those alone
    gaps = np.zeros(len(rest), dtype=bool)
    for position in range(rest.shape[1]):
        gaps |= _blank_cells(rest.iloc[:, position])
    if gaps.any():
        others = rest[gaps].astype(str).apply(lambda c: c.str.strip())
        found[gaps] = others.apply(lambda c: c.str.fullmatch(_TOTAL_WORD)).any(axis=1).to_numpy()
    return found


CONFIDENCE_LABELS = {"sv": {"exact": "exakt", "high": "hög", "medium": "medel", "low": "låg",
                            "none": "ingen"},
                     "en": {"exact": "exact", "high": "high", "medium": "medium", "low": "low",
                            "none": "none"}}


def _estimate_rows(info: TableInfo) -> int:
    """Data rows in a CSV, counted by line ends (quoted line breaks make it an estimate)."""
    lines = 0
    with open(info.path, "rb") as handle:
        while block := handle.read(1 << 22):
            lines += block.count(b"\n")
    return max(lines - 1, 1)


_STARTS_RISKY = re.compile("(?:^|\n)[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
_BLANK_CELL = re.compile(r"(?:^|\n)\s*(?:\n|$)")


def _any_cell(values: list[str], pattern: re.Pattern[str]) -> bool:
    """Might a cell match ``pattern`` (written for cells joined by line breaks)? One search over
    the joined column instead of a Python call per cell; a line break inside a cell can only
    give a false alarm, which the caller then checks cell by cell."""
    return pattern.search("\n".join(values)) is not None


def _safe_cells(column: pd.Series) -> pd.Series:
    """Neutralise formula-like text; plain numbers such as "-1 234,50" stay numbers."""
    text = column.astype(str)
    if not _any_cell(text.tolist(), _STARTS_RISKY):
        return text
    risky = text.str.startswith(FORMULA_PREFIXES).to_numpy()
    if not risky.any():
        return text
    flagged = text[risky]
    fix = risky.copy()
    fix[risky] = ~flagged.str.fullmatch(_PLAIN_NUMBER).to_numpy(dtype=bool)
    if not fix.any():
        return text
    values = text.to_numpy(dtype=object, copy=True)
    values[fix] = [neutralise(v) for v in values[fix]]
    return pd.Series(values, index=column.index, dtype=text.dtype)


def _blank_cells(column: pd.Series) -> np.ndarray:
    """Which cells are empty or only spaces."""
    values = column.astype(str)
    if not _any_cell(values.tolist(), _BLANK_CELL):
        return np.zeros(len(values), dtype=bool)
    return (values.str.strip() == "").to_numpy(dtype=bool)


def _output_names(columns: Sequence[str]) -> list[str]:
    existing = set(columns)
    return [f"match_{c}" if c in existing else c for c in RESULT_COLUMNS]


class _Writer:
    """Writes chunks to CSV (Swedish Excel style) or XLSX (rows streamed to disk by XlsxWriter
    in constant-memory mode, about three times faster than openpyxl's write-only mode; strings
    are never read as formulas, numbers or links)."""

    def __init__(self, path: Path, kind: str, delimiter: str, amount_column: str | None,
                 decimal: str) -> None:
        self.path, self.kind, self.delimiter = path, kind, delimiter
        self.amount_column, self.decimal = amount_column, decimal
        self.rows = 0
        self._handle: IO[str] | None = None
        self._book: Any = None
        self._sheet: Any = None

    def __enter__(self) -> _Writer:
        if self.kind == "csv":
            # the byte-order mark by hand: the utf-8-sig codec is Python code called per row
            self._handle = open(self.path, "w", encoding="utf-8", newline="")
            self._handle.write("\ufeff")
        else:
            import xlsxwriter

            self._book = xlsxwriter.Workbook(str(self.path), {
                "constant_memory": True, "strings_to_formulas": False,
                "strings_to_numbers": False, "strings_to_urls": False})
            self._sheet = self._book.add_worksheet("matchning")
        return self

    def write(self, frame: pd.DataFrame) -> None:
        header = self.rows == 0
        self.rows += len(frame)
        if self._handle is not None:
            frame.to_csv(self._handle, sep=self.delimiter, index=False, header=header,
                         lineterminator="\r\n")
            return
        if self.rows > XLSX_MAX_ROWS:
            raise OutputFileError(
                tr("has more than {n:,} rows, the Excel limit",
                   "har fler än {n:,} rader, Excels gräns", n=XLSX_MAX_ROWS),
                file=self.path, hint=tr("write to a .csv file instead", "skriv till en .csv-fil i stället"))
        first = self.rows - len(frame) + 1  # the sheet's row of this chunk's first row
        if header:
            self._sheet.write_row(0, 0, [str(c) for c in frame.columns])
        values = frame.to_numpy(dtype=object)
        if self.amount_column is not None:
            where = list(frame.columns).index(self.amount_column)
            amounts, bad = parse_amounts(frame[self.amount_column], self.decimal)
            column = values[:, where]
            ok = ~bad & (frame[self.amount_column].astype(str).str.strip() != "").to_numpy()
            column[ok] = amounts[ok]
        write = self._sheet.write_row
        for n, row in enumerate(values.tolist(), start=first):
            write(n, 0, row)

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
        elif self._book is not None:
            self._book.close()  # a failed run's file is removed by write_atomic


def _first_in_quarters(chunks: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``chunks`` with the first one cut in four (when it is large enough to go to the
    workers): they start on a quarter at once, and a file of one chunk is still pipelined."""
    for n, chunk in enumerate(chunks):
        if n > 0 or len(chunk) < 4 * PARALLEL_MIN:
            yield chunk
            continue
        step = -(-len(chunk) // 4)
        for start in range(0, len(chunk), step):
            yield chunk.iloc[start:start + step].copy()


def match_file(input_path: str | Path, output: str | Path, matcher: Matcher,
               text_columns: Sequence[str], *, cpv_column: str | None = None,
               amount_column: str | None = None, sheet: str | int | None = None,
               chunksize: int = 100_000, progress: Progress | None = None,
               workers: int = 1, header_row: int | None = None) -> MatchSummary:
    """Match every row of a CSV/XLSX file and write it, with the result columns, to ``output``.

    The input is read in chunks and the output written as it goes (to a temporary file moved
    into place at the end, never over the input). ``output`` ending in ``.xlsx`` gives an Excel
    file, anything else a semicolon CSV in UTF-8 with BOM that Swedish Excel opens as it is.
    With ``amount_column`` the summary holds spend per category and the unmatched share.
    ``progress(rows_done, rows_estimated)`` is called after each chunk. The header is found
    below a report title (or given as ``header_row``); total rows are left out of the spend.
    """
    input_path = Path(input_path)
    out = check_not_input(output, [input_path])
    if not text_columns:
        raise ValueError("give at least one text column")
    needed = [*text_columns, *(c for c in (cpv_column, amount_column) if c)]
    info = inspect(input_path, sheet, header_row=header_row, columns=needed)
    summary = MatchSummary(input=info, output=out, amount_column=amount_column)
    summary.decimal = decimal_mark(info) if amount_column else None
    kind = "xlsx" if out.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    delimiter = info.delimiter if info.kind == "csv" and info.delimiter else ";"
    batch = _BatchMatcher(matcher, workers=workers)
    bad_cpv = _BadCodes()
    spend: dict[str, float] = {}
    spend_rows: dict[str, int] = {}
    estimate = 0

    words = CONFIDENCE_LABELS.get(matcher.lang, CONFIDENCE_LABELS["en"])

    def emit(writer: _Writer, chunk: pd.DataFrame, summed: np.ndarray, first_row: int,
             distinct: np.ndarray, index: np.ndarray, names: list[str]) -> None:
        """Count, sum and write one matched chunk (``distinct[index]`` are its result rows)."""
        top = distinct[index, 0]
        summary.rows += len(chunk)
        matched = top != ""
        summary.matched_rows += int(matched.sum())
        per_text = np.bincount(index, minlength=len(distinct))
        for level, count in pd.Series(per_text).groupby(distinct[:, 3].astype(str)).sum().items():
            summary.by_confidence[str(level)] = summary.by_confidence.get(str(level), 0) + int(count)
        if amount_column:
            amounts, bad = parse_amounts(chunk[amount_column], summary.decimal or ",")
            totals = total_rows(chunk, amount_column).to_numpy() | summed
            for position in np.flatnonzero(totals):
                cells = [str(v).strip() for v in chunk.iloc[position] if str(v).strip()]
                summary.total_rows.append((first_row + int(position), " ".join(cells)))
            amounts = np.where(totals, 0.0, amounts)
            bad = bad & ~totals
            summary.bad_amounts += int(bad.sum())
            summary.total_amount += float(amounts.sum())
            summary.unmatched_amount += float(amounts[~matched].sum())
            sums = pd.Series(amounts[matched]).groupby(top[matched]).agg(["sum", "size"])
            for cid, (amount, size) in sums.iterrows():
                spend[cid] = spend.get(cid, 0.0) + float(amount)
                spend_rows[cid] = spend_rows.get(cid, 0) + int(size)
        # the result columns are made safe and worded once per distinct text, then spread
        shown = pd.DataFrame(distinct, columns=names)
        for n, column in enumerate(RESULT_COLUMNS):
            shown[names[n]] = (shown[names[n]].astype("int64") if "score" in column
                               else _safe_cells(shown[names[n]]))
        confidence = names[RESULT_COLUMNS.index("confidence")]
        shown[confidence] = shown[confidence].replace(words)
        result = shown.take(index).set_axis(chunk.index)
        writer.write(pd.concat([chunk.apply(_safe_cells), result], axis=1))
        if progress is not None:
            progress(summary.rows, max(estimate, summary.rows))

    def run(tmp: Path) -> None:
        nonlocal estimate
        chunks = iter_table(input_path, info=info, chunksize=chunksize, sum_rows=True)
        read = 0
        names: list[str] = []
        # a pipeline: while the workers rank one chunk, this process sums and writes the one
        # before (both cores busy, not one waiting for the other)
        pending: tuple[pd.DataFrame, np.ndarray, int, np.ndarray, np.ndarray] | None = None
        with _Writer(tmp, kind, delimiter, amount_column, summary.decimal or ".") as writer, \
                closing(chunks):  # closes the input file if a chunk fails
            for chunk in _first_in_quarters(chunks):
                summed = chunk.pop(SUM_ROW).to_numpy(dtype=bool)
                if read == 0:
                    require_columns(chunk, needed, input_path)
                    names = _output_names(list(chunk.columns))
                    if progress is not None:
                        estimate = _estimate_rows(info) if info.kind == "csv" else len(chunk)
                first_row = read + info.header_row + 1
                read += len(chunk)
                codes = _cpv_codes(chunk[cpv_column], first_row, bad_cpv) if cpv_column else None
                job = batch.start(_joined(chunk, text_columns), codes)
                if pending is not None:
                    emit(writer, *pending, names)
                pending = (chunk, summed, first_row, *batch.finish_distinct(job))
            if pending is not None:
                emit(writer, *pending, names)
            if summary.rows == 0:
                raise InputFileError(tr("has a header row but no data rows",
                                          "har en rubrikrad men inga datarader"), file=input_path)

    try:
        write_atomic(out, run)
    finally:
        batch.close()
    bad_cpv.warn()
    if summary.bad_amounts:
        warnings.warn(str(tr(
            "{n} amount(s) in column {col!r} could not be read as numbers; they count as 0 in "
            "the spend summary",
            "{n} belopp i kolumnen {col!r} kunde inte läsas som tal; de räknas som 0 i "
            "summeringen", n=summary.bad_amounts, col=amount_column)), ProcureWarning, stacklevel=2)
    summary.distinct_texts = batch.distinct
    summary.spend, summary.spend_rows = spend, spend_rows
    summary.names = {cid: matcher.criteria_set.categories[cid].label(matcher.lang)
                     for cid in spend}
    return summary


def unmatched_rows(matched: str | Path, limit: int = 100) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` rows of a file ``match_file`` wrote that matched no category, and how
    many such rows there are in all (read in chunks, so a large file stays cheap)."""
    info = inspect(matched)
    first: list[pd.DataFrame] = []
    total = kept = 0
    chunks = iter_table(matched, info=info)
    with closing(chunks):
        for chunk in chunks:
            column = "match_category_id" if "match_category_id" in chunk.columns else "category_id"
            rows = chunk[chunk[column].astype(str).str.strip() == ""]
            total += len(rows)
            if kept < limit and len(rows):
                first.append(rows.head(limit - kept))
                kept += len(first[-1])
    frame = pd.concat(first, ignore_index=True) if first else pd.DataFrame()
    return frame, total
