"""The evaluation record (utvärderingsprotokoll) as PDF.

Note for ``procure check --pdf``: call ``build_evaluation_pdf(evaluation, spec, criteria_set,
selected, output, lang)`` with any object that has the two pandas DataFrames below as
``.verdicts`` and ``.suppliers`` (``procure.answers.evaluation.Evaluation`` does;
:class:`EvaluationTables` is the plain container). Bad frames raise ``ProcureError``.

``verdicts``: one row per supplier × criterion

    supplier      str   the supplier's name as written in its answers
    criterion_id  str   a criterion id of the spec
    kind          str   qualification | technical_spec | award | contract_clause
    verdict       str   met | not_met | missing | invalid | review
    answer        str   the answer as given ("" when missing)
    reason        str   why the verdict (what was found, what was expected); "" when met

``suppliers``: one row per supplier

    supplier          str    same names as in ``verdicts``
    status            str    qualified | not_qualified | rejected | pending_review
    bid_price         float  the bid price in SEK (NaN when not given)
    deductions        float  sum of award deductions in SEK
    comparison_price  float  bid_price − deductions (NaN when not computable)
    rank              int    1 = best; NaN/None/pd.NA for suppliers that are not ranked
    points            float  optional; shown instead of deductions when the spec's
                             award_method is ``points``
    remarks           str    optional; printed under the supplier's heading when not empty
    counts            optional and not used: the report counts verdicts from ``verdicts``

Other columns are ignored. Layout: cover block, a summary per supplier (qualified?, deductions,
comparison price, rank, verdict counts), per supplier the criteria not met / missing / invalid /
to review with the reasons, the full supplier × criterion matrix in blocks of twelve suppliers,
and a signature line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from procure.errors import ColumnError, ProcureError
from procure.i18n import tr
from procure.io.textfmt import format_number
from procure.model import KINDS, LEVEL_LABELS, CriteriaSet, SelectedCriterion
from procure.reports.annex import SHORT_KIND, check_lang
from procure.reports.evaluation_text import VERDICT_LABELS, VERDICT_SYMBOLS, T
from procure.reports.layout import CONTENT_WIDTH, BuiltReport, PageInfo, build_pdf
from procure.reports.styles import VERDICT_COLOURS, clean, data_table, key_value_table, para
from procure.tender.spec import ProcurementSpec

VERDICTS = ("met", "not_met", "missing", "invalid", "review")
STATUSES = ("qualified", "pending_review", "rejected", "not_qualified")
VERDICT_COLUMNS = ("supplier", "criterion_id", "kind", "verdict", "answer", "reason")
SUPPLIER_COLUMNS = ("supplier", "status", "bid_price", "deductions", "comparison_price", "rank")
MATRIX_BLOCK = 12


class EvaluationLike(Protocol):
    """Anything that carries the two frames described in the module docstring."""

    verdicts: pd.DataFrame
    suppliers: pd.DataFrame


@dataclass
class EvaluationTables:
    """The plain container for the report's input (see the module docstring for columns)."""

    verdicts: pd.DataFrame
    suppliers: pd.DataFrame


@dataclass(frozen=True)
class _Supplier:
    number: int
    name: str
    status: str
    bid_price: Any
    deductions: Any
    comparison_price: Any
    rank: Any
    counts: dict[str, int]
    remarks: str = ""


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _check_frames(evaluation: EvaluationLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames = []
    for name, columns in (("verdicts", VERDICT_COLUMNS), ("suppliers", SUPPLIER_COLUMNS)):
        frame = getattr(evaluation, name, None)
        if not isinstance(frame, pd.DataFrame):
            raise ProcureError(tr("the evaluation has no {name} table",
                                  "utvärderingen har ingen tabell {name}", name=name),
                               hint=tr("see procure.reports.evaluation for the expected frames",
                                       "se procure.reports.evaluation för de tabeller som "
                                       "förväntas"))
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise ColumnError(tr("the {name} table has no column {column!r}",
                                 "tabellen {name} har ingen kolumn {column!r}",
                                 name=name, column=absent[0]),
                              hint=tr("expected columns: {columns}",
                                      "förväntade kolumner: {columns}",
                                      columns=", ".join(columns)))
        frames.append(frame)
    verdicts, suppliers = frames
    unknown = sorted(set(verdicts["verdict"].astype(str)) - set(VERDICTS))
    if unknown:
        raise ProcureError(tr("unknown verdict {value!r} in the verdicts table",
                              "okänd bedömning {value!r} i tabellen verdicts", value=unknown[0]),
                           hint=tr("expected one of {values}", "ska vara en av {values}",
                                   values=", ".join(VERDICTS)))
    unknown = sorted(set(suppliers["status"].astype(str)) - set(STATUSES))
    if unknown:
        raise ProcureError(tr("unknown status {value!r} in the suppliers table",
                              "okänd status {value!r} i tabellen suppliers", value=unknown[0]),
                           hint=tr("expected one of {values}", "ska vara en av {values}",
                                   values=", ".join(STATUSES)))
    absent = sorted(set(verdicts["supplier"].astype(str)) - set(suppliers["supplier"].astype(str)))
    if absent:
        raise ProcureError(tr("supplier {name!r} has verdicts but no row in the suppliers table",
                              "leverantören {name!r} har bedömningar men ingen rad i tabellen "
                              "suppliers", name=absent[0]))
    return verdicts, suppliers


def _suppliers(verdicts: pd.DataFrame, suppliers: pd.DataFrame, points: bool = False
               ) -> list[_Supplier]:
    """Suppliers in report order: qualified by rank, then to review, then not qualified.

    With the points award method the award column shows ``points`` when the frame has it.
    """
    counts: dict[str, dict[str, int]] = {}
    for (name, verdict), n in verdicts.groupby(["supplier", "verdict"]).size().items():
        counts.setdefault(str(name), {})[str(verdict)] = int(n)
    records = suppliers.to_dict("records")

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        rank = r["rank"]
        name = [int(part) if part.isdigit() else part
                for part in re.split(r"(\d+)", str(r["supplier"]).casefold())]
        return (STATUSES.index(r["status"]), _missing(rank), 0 if _missing(rank) else rank,
                [(isinstance(p, int), p) for p in name])

    award = "points" if points and "points" in suppliers.columns else "deductions"
    return [
        _Supplier(n, str(r["supplier"]), r["status"], r["bid_price"], r[award],
                  r["comparison_price"], r["rank"], counts.get(str(r["supplier"]), {}),
                  clean(r.get("remarks")))
        for n, r in enumerate(sorted(records, key=key), start=1)
    ]


def _num(value: Any, lang: str, decimals: int | None = None) -> str:
    if _missing(value):
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if decimals is None and float(value).is_integer():
            value = int(value)
        return format_number(value, lang, decimals)
    return clean(value)


def _criteria_order(selected: list[SelectedCriterion], cset: CriteriaSet,
                    verdicts: pd.DataFrame, lang: str) -> dict[str, tuple[str, str]]:
    """criterion id → (title, kind) in tender order; ids only in the verdicts come last."""
    order = {s.id: (s.title.get_lang(lang), s.kind) for s in selected}
    extra = verdicts.drop_duplicates("criterion_id")[["criterion_id", "kind"]]
    for cid, kind in sorted(extra.itertuples(index=False, name=None),
                            key=lambda r: (KINDS.index(r[1]) if r[1] in KINDS else 9, str(r[0]))):
        if str(cid) not in order:
            crit = cset.criteria.get(str(cid))
            order[str(cid)] = (crit.title.get_lang(lang) if crit else "", str(kind))
    return order


def _cover(spec: ProcurementSpec, cset: CriteriaSet, n_suppliers: int, n_criteria: int,
           lang: str, date: str) -> list[Flowable]:
    t = T[lang]
    pairs = [
        (t["procurement"], spec.title),
        (t["reference"], spec.reference or "–"),
        (t["organisation"], spec.organisation or "–"),
        (t["date"], date),
        (t["set"], f"{cset.ref} – {cset.title.get_lang(lang)}"),
        (t["level"], LEVEL_LABELS.get(spec.level, {}).get(lang, spec.level)),
        (t["method"], t.get(f"method_{spec.award_method}", spec.award_method)),
        (t["n_suppliers"], str(n_suppliers)),
        (t["n_criteria"], str(n_criteria)),
    ]
    return [para(t["doc"], "title"), para(spec.title, "subtitle"),
            key_value_table(pairs, CONTENT_WIDTH), Spacer(1, 0.4 * cm)]


def _summary(spec: ProcurementSpec, rows: list[_Supplier], n_criteria: int, lang: str
             ) -> list[Flowable]:
    t = T[lang]
    by_status = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    text = t["summary_text"].format(n=len(rows), m=n_criteria, q=by_status["qualified"],
                                    p=by_status["pending_review"], x=by_status["not_qualified"],
                                    r=by_status["rejected"])
    winner = next((r for r in rows if r.status == "qualified" and not _missing(r.rank)
                   and r.rank == 1), None)
    flow: list[Flowable] = [CondPageBreak(7 * cm), para(t["summary"], "h1"),
                            para(text, "body")]
    if winner is not None and spec.award_method != "points":
        flow.append(para(t["winner"].format(name=winner.name,
                                            price=_num(winner.comparison_price, lang)), "body"))
    points = spec.award_method == "points"
    head = [para(t[k], "cell_head") for k in ("col_nr", "col_supplier", "col_status")]
    head += [para(t[k], "cell_head_right") for k in (
        "col_bid", "col_points" if points else "col_deductions", "col_comparison", "col_rank")]
    head += [VERDICT_SYMBOLS[v] for v in VERDICTS]
    table_rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = [("ALIGN", (7, 0), (-1, -1), "CENTER"),
                                    ("LEFTPADDING", (7, 0), (-1, -1), 1),
                                    ("RIGHTPADDING", (7, 0), (-1, -1), 1)]
    colour = {"qualified": "met", "not_qualified": "not_met", "rejected": "not_met",
              "pending_review": "review"}
    for i, r in enumerate(rows, start=1):
        table_rows.append([
            para(str(r.number), "cell"), para(r.name, "cell_bold"),
            para(t[f"status_{r.status}"], "cell"),
            para(_num(r.bid_price, lang), "cell_right"),
            para(_num(r.deductions, lang), "cell_right"),
            para(_num(r.comparison_price, lang), "cell_right"),
            para(_num(r.rank, lang), "cell_right"),
            *[str(r.counts.get(v, 0)) if r.counts.get(v) else "" for v in VERDICTS],
        ])
        extra.append(("BACKGROUND", (2, i), (2, i), VERDICT_COLOURS[colour[r.status]]))
        extra += [("BACKGROUND", (7 + j, i), (7 + j, i), VERDICT_COLOURS[v])
                  for j, v in enumerate(VERDICTS) if v != "met" and r.counts.get(v)]
    # Fixed widths fit the longest header word and a 10-digit price; the name takes the rest.
    fixed = [0.85, 2.2, 2.2, 2.1, 2.2, 1.15] + [0.6] * len(VERDICTS)
    widths = [fixed[0] * cm, CONTENT_WIDTH - sum(fixed) * cm, *[w * cm for w in fixed[1:]]]
    legend = para(_legend(lang), "meta")
    legend.keepWithNext = 0  # a KeepTogether with the whole table would push it a page on
    flow += [legend, data_table(table_rows, widths, extra=extra),
             para(t["summary_note_points" if points else "summary_note"], "note")]
    return flow


def _legend(lang: str) -> str:
    return " · ".join(f"{VERDICT_SYMBOLS[v]} {VERDICT_LABELS[lang][v].lower()}"
                      for v in VERDICTS)


def _findings(rows: list[_Supplier], verdicts: pd.DataFrame,
              order: dict[str, tuple[str, str]], lang: str) -> list[Flowable]:
    t = T[lang]
    # Room for the section heading and the first supplier's heading and first rows.
    flow: list[Flowable] = [CondPageBreak(7.5 * cm), para(t["findings"], "h1"),
                            para(t["findings_intro"], "note")]
    position = {cid: i for i, cid in enumerate(order)}
    open_rows = verdicts[verdicts["verdict"] != "met"]
    grouped = {str(name): frame for name, frame in open_rows.groupby("supplier", sort=False)}
    for n, r in enumerate(rows):
        heading = para(f"{r.number}. {r.name}", "h2")
        meta = [para(_supplier_meta(r, lang), "meta")]
        if r.remarks:
            meta.append(para(r.remarks, "meta"))
        frame = grouped.get(r.name)
        if n:
            flow.append(CondPageBreak(4.5 * cm))
        if frame is None or frame.empty:
            flow += [heading, *meta, para(t["all_met"], "body")]
            continue
        heading.keepWithNext = 0
        for p in meta:
            p.keepWithNext = 0
        records = sorted(frame.to_dict("records"),
                         key=lambda v: position.get(str(v["criterion_id"]), len(position)))
        table_rows: list[list[Any]] = [[para(t[k], "cell_head") for k in (
            "col_id", "col_criterion", "col_verdict", "col_answer", "col_reason")]]
        extra = []
        for i, v in enumerate(records, start=1):
            title, kind = order.get(str(v["criterion_id"]), ("", str(v["kind"])))
            kind_label = SHORT_KIND.get(kind, {}).get(lang, kind)
            table_rows.append([
                para(v["criterion_id"], "cell"),
                para(f"{clean(title)}\n({kind_label})" if title else kind_label, "cell"),
                para(VERDICT_LABELS[lang][v["verdict"]], "cell_bold"),
                para(v["answer"], "cell"), para(v["reason"], "cell"),
            ])
            extra.append(("BACKGROUND", (2, i), (2, i), VERDICT_COLOURS[v["verdict"]]))
        widths = [2.7, 3.4, 2.2, 3.1, 5.2]
        scale = CONTENT_WIDTH / sum(widths)
        flow += [heading, *meta, data_table(table_rows, [w * scale for w in widths], extra=extra),
                 Spacer(1, 0.2 * cm)]
    return flow


def _supplier_meta(r: _Supplier, lang: str) -> str:
    t = T[lang]
    parts = [t[f"status_{r.status}"]]
    if not _missing(r.rank):
        parts.append(t["rank_of"].format(rank=_num(r.rank, lang)))
    if not _missing(r.comparison_price):
        parts.append(t["comparison_of"].format(price=_num(r.comparison_price, lang)))
    return " · ".join(parts)


def _matrix(rows: list[_Supplier], verdicts: pd.DataFrame, order: dict[str, tuple[str, str]],
            lang: str) -> list[Flowable]:
    t = T[lang]
    flow: list[Flowable] = [CondPageBreak(8 * cm), para(t["matrix"], "h1"),
                            para(t["matrix_intro"], "note"), para(_legend(lang), "meta")]
    cell = {(str(s), str(c)): str(v) for s, c, v in verdicts[
        ["supplier", "criterion_id", "verdict"]].itertuples(index=False, name=None)}
    labels = {cid: para(f"{cid}  {title}", "cell") for cid, (title, _) in order.items()}
    first = 6.8 * cm
    col = (CONTENT_WIDTH - first) / MATRIX_BLOCK
    for start in range(0, len(rows), MATRIX_BLOCK):
        block = rows[start:start + MATRIX_BLOCK]
        key = "; ".join(f"{r.number} = {r.name}" for r in block)
        table_rows: list[list[Any]] = [[para(t["col_criterion"], "cell_head"),
                                        *[str(r.number) for r in block]]]
        extra: list[tuple[Any, ...]] = [("ALIGN", (1, 0), (-1, -1), "CENTER")]
        for i, cid in enumerate(order, start=1):
            line: list[Any] = [labels[cid]]
            for j, r in enumerate(block, start=1):
                verdict = cell.get((r.name, cid))
                line.append(VERDICT_SYMBOLS[verdict] if verdict else "")
                if verdict:
                    extra.append(("BACKGROUND", (j, i), (j, i), VERDICT_COLOURS[verdict]))
            table_rows.append(line)
        if start:
            flow.append(CondPageBreak(5 * cm))
        flow += [para(key, "note"),
                 data_table(table_rows, [first] + [col] * len(block), extra=extra),
                 Spacer(1, 0.4 * cm)]
    return flow


def evaluation_story(evaluation: EvaluationLike, spec: ProcurementSpec,
                     criteria_set: CriteriaSet, selected: list[SelectedCriterion],
                     lang: str = "sv", date: dt.date | str | None = None) -> list[Flowable]:
    """The evaluation record as platypus flowables."""
    check_lang(lang)
    verdicts, suppliers = _check_frames(evaluation)
    rows = _suppliers(verdicts, suppliers, spec.award_method == "points")
    order = _criteria_order(selected, criteria_set, verdicts, lang)
    when = date.isoformat() if isinstance(date, dt.date) else (date or dt.date.today().isoformat())
    story = _cover(spec, criteria_set, len(rows), len(order), lang, when)
    if not rows:
        story.append(para(T[lang]["no_suppliers"], "body"))
        return story
    story += _summary(spec, rows, len(order), lang)
    story += _findings(rows, verdicts, order, lang)
    if order:
        story += _matrix(rows, verdicts, order, lang)
    story += [CondPageBreak(2.5 * cm), para(T[lang]["signature"], "h2"),
              para(T[lang]["signature_line"], "body")]
    return story


def build_evaluation_pdf(evaluation: EvaluationLike, spec: ProcurementSpec,
                         criteria_set: CriteriaSet, selected: list[SelectedCriterion],
                         output: str | Path, lang: str = "sv", *,
                         date: dt.date | str | None = None) -> BuiltReport:
    """Write the evaluation record to ``output`` (atomically); see the module docstring.

    ``criteria_set`` and ``selected`` come from :func:`procure.tender.spec.resolve` for the spec the
    answers were checked against; ``date`` defaults to today.
    """
    story = evaluation_story(evaluation, spec, criteria_set, selected, lang, date)
    info = PageInfo(
        title=T[lang]["doc"], reference=spec.reference, set_ref=criteria_set.ref,
        footer=" · ".join(p for p in (spec.title, spec.organisation) if p), lang=lang,
        author=spec.organisation, subject=spec.title,
    )
    return build_pdf(story, output, info)
