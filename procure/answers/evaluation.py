"""Checking supplier answers: a verdict per supplier × criterion, qualification, award deductions.

Everything is column operations over one frame (suppliers × criteria, answers merged in), so
200 suppliers × 80 criteria take a fraction of a second. Verdicts: ``met``, ``not_met``,
``missing``, ``invalid`` (could not be read as the rule's type; the reason quotes what was
found), ``review`` (a person must look: free text, N/A, approximate figures, missing evidence).

Qualification comes from the mandatory kinds: a qualification requirement not_met, invalid or
missing → the supplier is not qualified (ej kvalificerad); a technical specification or contract
clause not_met, invalid or missing → the tender is rejected (förkastat); otherwise any review →
pending review. Award
criteria never disqualify; met ones give deductions (SEK, or % of the bid price; graduated steps
take the best step reached) or points. Comparison price (jämförelsepris) = bid price −
deductions, never below 0; qualified suppliers are ranked by it.

The outcome (:class:`Evaluation`) is defined in :mod:`procure.answers.verdicts` and written to files by
:mod:`procure.answers.results`; both are importable from here as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from procure.answers.read import (
    AnswerSet,
    choice_key,
    is_not_applicable,
    parse_dates,
    parse_yes_no,
    read_answers,
    split_choices,
)
from procure.answers.results import write_evaluation
from procure.answers.verdicts import (
    STATUS_LABELS,
    STATUSES,
    SUPPLIER_COLUMNS,
    VERDICT_COLUMNS,
    VERDICT_LABELS,
    VERDICTS,
    Evaluation,
)
from procure.findings import Report
from procure.i18n import Msg, choice_aliases, choice_label, get_lang, tr, unit_label
from procure.io.numbers import (
    QUALIFIERS,
    normalise_text,
    normalise_unit,
    parse_amounts,
    parse_numbers,
)
from procure.io.textfmt import format_number
from procure.model import KINDS, CriteriaSet, SelectedCriterion
from procure.tender.spec import ProcurementSpec, resolve

__all__ = [
    "REASONS",
    "STATUSES",
    "STATUS_LABELS",
    "SUPPLIER_COLUMNS",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "VERDICT_LABELS",
    "Evaluation",
    "check_answers",
    "evaluate",
    "rules_frame",
    "write_evaluation",
]

REASONS: dict[str, dict[str, str]] = {
    "formula": {"sv": "cellen innehåller formeln '{answer}'; skriv in själva värdet",
                "en": "the cell holds the formula '{answer}'; type the value itself"},
    "missing": {"sv": "svar saknas", "en": "no answer"},
    "missing_mandatory": {"sv": "svar saknas på ett obligatoriskt krav – kan inte kvalificeras",
                          "en": "no answer to a mandatory requirement – cannot qualify"},
    "missing_award": {"sv": "svar saknas – inget avdrag", "en": "no answer – no deduction"},
    "not_applicable": {"sv": "svarat '{answer}' – bedöm om kravet gäller och fråga leverantören",
                       "en": "answered '{answer}' – judge whether it applies and ask the supplier"},
    "yes": {"sv": "svarat ja", "en": "answered yes"},
    "no": {"sv": "svarat nej ({requirement})", "en": "answered no ({requirement})"},
    "yes_no_ambiguous": {"sv": "'{answer}' börjar med ja/nej men har mer text – bekräfta",
                         "en": "'{answer}' starts with yes/no but says more – confirm it"},
    "not_yes_no": {"sv": "'{answer}' kan inte läsas som ja eller nej",
                   "en": "'{answer}' cannot be read as yes or no"},
    "not_number": {"sv": "'{answer}' är inget tal; ett tal i {unit} förväntas",
                   "en": "'{answer}' is not a number; a number in {unit} is expected"},
    "wrong_unit": {"sv": "'{answer}' har enheten '{unit_found}'; {unit} förväntas",
                   "en": "'{answer}' has the unit '{unit_found}'; {unit} is expected"},
    "approximate": {"sv": "'{answer}' är ungefärligt eller en gräns – be om exakt värde",
                    "en": "'{answer}' is approximate or a bound – ask for the exact value"},
    "share_out_of_range": {"sv": "'{answer}' är ingen andel mellan 0 och 100 %",
                           "en": "'{answer}' is not a share between 0 and 100 %"},
    "bound_ok": {"sv": "'{answer}' är en gräns som uppfyller kravet ({requirement})",
                 "en": "'{answer}' is a bound that meets the requirement ({requirement})"},
    "bound_out": {"sv": "'{answer}' är en gräns som inte uppfyller kravet ({requirement})",
                  "en": "'{answer}' is a bound that does not meet the requirement "
                        "({requirement})"},
    "bound_unclear": {"sv": "'{answer}' är en gräns som inte räcker för att bedöma kravet "
                            "({requirement}) – be om exakt värde",
                      "en": "'{answer}' is a bound that cannot settle the requirement "
                            "({requirement}) – ask for the exact value"},
    "number_ok": {"sv": "'{answer}' uppfyller kravet ({requirement})",
                  "en": "'{answer}' meets the requirement ({requirement})"},
    "out_of_range": {"sv": "'{answer}' uppfyller inte kravet ({requirement})",
                     "en": "'{answer}' does not meet the requirement ({requirement})"},
    "not_a_choice": {"sv": "'{answer}' är inte ett av alternativen: {choices}",
                     "en": "'{answer}' is not one of the choices: {choices}"},
    "choice_ok": {"sv": "'{answer}' godtas", "en": "'{answer}' is accepted"},
    "choice_not_accepted": {"sv": "'{answer}' godtas inte ({requirement})",
                            "en": "'{answer}' is not accepted ({requirement})"},
    "date_ok": {"sv": "'{answer}' uppfyller kravet ({requirement})",
                "en": "'{answer}' meets the requirement ({requirement})"},
    "not_a_date": {"sv": "'{answer}' är inget datum ÅÅÅÅ-MM-DD",
                   "en": "'{answer}' is not a date YYYY-MM-DD"},
    "text": {"sv": "fritextsvar – bedöms av en person", "en": "free-text answer – a person "
             "assesses it"},
    "evidence_missing": {"sv": "uppfyllt, men bevis/referens saknas (krävs)",
                         "en": "met, but the evidence reference is missing (required)"},
    "award_met": {"sv": "'{answer}' ger {award}", "en": "'{answer}' gives {award}"},
    "award_none": {"sv": "'{answer}' ger inget avdrag ({requirement})",
                   "en": "'{answer}' gives no deduction ({requirement})"},
}
_WORDS = {
    "sv": {"at_least": "minst", "at_most": "högst", "not_after": "senast",
           "not_before": "tidigast", "yes": "krav: ja", "accepted": "godtas",
           "sek": "avdrag {v} kr", "pct": "avdrag {v} % av anbudspriset", "points": "{v} poäng",
           "steps": "steg"},
    "en": {"at_least": "at least", "at_most": "at most", "not_after": "no later than",
           "not_before": "no earlier than", "yes": "required: yes", "accepted": "accepted",
           "sek": "a deduction of SEK {v}", "pct": "a deduction of {v} % of the bid price",
           "points": "{v} points", "steps": "steps"},
}


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _date(value: Any) -> pd.Timestamp:
    try:
        return pd.Timestamp(dt.date.fromisoformat(str(value)))
    except ValueError:
        return pd.NaT


def _award_label(method: str, value: Any, lang: str) -> str:
    key = {"price_deduction_sek": "sek", "price_deduction_pct": "pct"}.get(method, "points")
    return _WORDS[lang][key].format(v=format_number(value, lang))


def _requirement(s: SelectedCriterion, lang: str) -> str:
    w = _WORDS[lang]
    rule = s.answer
    unit = f" {unit_label(rule.unit, lang)}" if rule.unit else ""
    if rule.type == "boolean":
        return w["yes"]
    if rule.type == "number":
        parts = [f"{w[k]} {format_number(v, lang)}{unit}" for k, v in
                 (("at_least", rule.min), ("at_most", rule.max)) if v is not None]
        if s.award and s.award.steps:
            first = s.award.steps[0]
            bound = first.at_least if first.at_least is not None else first.at_most
            key = "at_least" if first.at_least is not None else "at_most"
            if bound is not None:
                parts = [f"{w['steps']}: {w[key]} {format_number(bound, lang)}{unit} …"]
        return ", ".join(parts)
    if rule.type == "choice":
        return f"{w['accepted']}: {', '.join(choice_label(c, lang) for c in rule.accepted_choices)}"
    if rule.type == "date":
        return ", ".join(f"{w[k]} {v}" for k, v in (("not_before", rule.not_before),
                                                      ("not_after", rule.not_after)) if v)
    return ""


def rules_frame(selected: Sequence[SelectedCriterion], lang: str = "sv") -> pd.DataFrame:
    """One row per chosen criterion with its answer rule as columns."""
    rows = []
    for order, s in enumerate(selected):
        rule = s.answer
        award = s.award
        rows.append({
            "criterion_id": s.id, "order": order, "kind": s.kind, "mandatory": s.mandatory,
            "title": s.title.get_lang(lang), "type": rule.type, "unit": unit_label(rule.unit, lang),
            "unit_key": normalise_unit(rule.unit), "min": _float(rule.min),
            "max": _float(rule.max), "not_before": _date(rule.not_before) if rule.not_before
            else pd.NaT, "not_after": _date(rule.not_after) if rule.not_after else pd.NaT,
            "multiple": rule.multiple, "evidence_required": rule.evidence_required,
            "award_method": award.method if award else "",
            "award_value": _float(award.value) if award else float("nan"),
            "has_steps": bool(award and award.steps),
            "award_label": _award_label(award.method, award.value, lang)
            if award and award.value is not None else "",
            "requirement": _requirement(s, lang),
            "choices_text": ", ".join(choice_label(c, lang) for c in rule.choices),
        })
    return pd.DataFrame(rows)


def _choices_frame(selected: Sequence[SelectedCriterion]) -> pd.DataFrame:
    # a choice is recognised by its value and by its label in either language ("Likvärdig")
    rows = [{"criterion_id": s.id, "choice": c, "accepted": c in s.answer.accepted_choices,
             "alias": alias}
            for s in selected if s.answer.type == "choice" for c in s.answer.choices
            for alias in choice_aliases(c)]
    frame = pd.DataFrame(rows, columns=["criterion_id", "choice", "accepted", "alias"])
    frame["key"] = choice_key(frame["alias"].astype(str))
    return frame.drop(columns="alias").drop_duplicates(["criterion_id", "key"])


def _steps_frame(selected: Sequence[SelectedCriterion], lang: str) -> pd.DataFrame:
    rows = []
    for s in selected:
        if not s.award:
            continue
        for step in s.award.steps:
            rows.append({"criterion_id": s.id, "step_value": _float(step.value),
                         "at_least": _float(step.at_least), "at_most": _float(step.at_most),
                         "equals": step.equals or "",
                         "label": _award_label(s.award.method, step.value, lang)})
    frame = pd.DataFrame(rows, columns=["criterion_id", "step_value", "at_least", "at_most",
                                        "equals", "label"])
    frame["equals_key"] = choice_key(frame["equals"].astype(str))
    return frame


def _bounds(word: np.ndarray, value: np.ndarray, low: np.ndarray, high: np.ndarray
            ) -> np.ndarray:
    """The decision table for an answer that is a bound ("max 8 år", "minst 50 %").

    ``word`` is the bound's kind (:data:`procure.io.numbers.QUALIFIERS`), ``low``/``high`` the
    rule's minimum and maximum (NaN: none). A bound is ``met`` when every value it allows meets
    the rule, ``not_met`` when none does, else ``review`` (a person asks for the exact value).
    """
    upper = np.isin(word, ("at_most", "below"))
    lower = np.isin(word, ("at_least", "above"))
    no_low, no_high = np.isnan(low), np.isnan(high)
    with np.errstate(invalid="ignore"):
        met = (upper & no_low & (no_high | (value <= high))) | \
              (lower & no_high & (no_low | (value >= low)))
        out = (upper & ~no_low & ((value < low) | ((word == "below") & (value <= low)))) | \
              (lower & ~no_high & ((value > high) | ((word == "above") & (value >= high))))
    return np.where(met, "met", np.where(out, "not_met", "review"))


def _judge_bounds(qualifier: str, value: float, low: float | None, high: float | None) -> str:
    """One answer through the decision table: ``_judge_bounds("max", 8, None, 12)`` is met."""
    kind = QUALIFIERS.get(qualifier.casefold(), "approx")
    if kind == "approx":
        return "review"
    nan = float("nan")
    return str(_bounds(np.array([kind]), np.array([value], dtype=float),
                       np.array([nan if low is None else low]),
                       np.array([nan if high is None else high]))[0])


def evaluate(spec: ProcurementSpec, criteria_set: CriteriaSet,
             selected: Sequence[SelectedCriterion], answers: AnswerSet, lang: str = "sv"
             ) -> Evaluation:
    """Judge every supplier's answers against the chosen criteria."""
    lang = lang if lang in ("sv", "en") else "sv"
    rules = rules_frame(selected, lang)
    suppliers_in = answers.suppliers.reset_index(drop=True)
    suppliers_in["supplier_order"] = np.arange(len(suppliers_in))
    findings = Report(source=spec.path or spec.title)
    findings.findings.extend(answers.report.findings)
    if rules.empty or suppliers_in.empty:
        grid = pd.DataFrame(columns=[*VERDICT_COLUMNS, "order", "supplier_order"])
    else:
        grid = suppliers_in[["supplier", "supplier_order"]].merge(rules, how="cross")
        grid = grid.merge(answers.answers, on=["supplier", "criterion_id"], how="left")
        for column in ("answer", "evidence", "comment", "source", "location"):
            grid[column] = grid[column].fillna("").astype(str)
        grid["formula"] = grid["formula"].eq(True)
        _judge(grid, selected, lang)
    bids = parse_amounts(suppliers_in["bid_price_text"].astype(str))
    bid_price = bids["value"].where(~suppliers_in["bid_price_formula"].astype(bool))
    suppliers_in["bid_price"] = bid_price.to_numpy()
    _deductions(grid, suppliers_in)
    grid = grid.sort_values(["supplier_order", "order"], kind="stable")
    verdicts = grid[VERDICT_COLUMNS].reset_index(drop=True)
    suppliers = _suppliers(verdicts, suppliers_in, rules, spec, findings, lang)
    return Evaluation(verdicts, suppliers, findings, spec, criteria_set.ref,
                      spec.fingerprint(list(selected)), lang, list(answers.sources))


def _judge(g: pd.DataFrame, selected: Sequence[SelectedCriterion], lang: str) -> None:
    """Fill ``verdict``, ``reason_code``, ``award_label`` and ``award_amount`` in place."""
    text = normalise_text(g["answer"])
    verdict = pd.Series("", index=g.index, dtype=object)
    code = pd.Series("", index=g.index, dtype=object)
    unit_found = pd.Series("", index=g.index, dtype=object)
    amount = pd.Series(np.nan, index=g.index)
    label = pd.Series("", index=g.index, dtype=object)

    def put(mask: pd.Series, v: str, c: str) -> None:
        mask = mask & (verdict == "")
        verdict[mask] = v
        code[mask] = c

    award = g["kind"] == "award"
    put(g["formula"], "invalid", "formula")
    empty = text == ""
    put(empty & g["mandatory"], "missing", "missing_mandatory")
    put(empty & award, "missing", "missing_award")
    put(empty, "missing", "missing")
    put(is_not_applicable(text), "review", "not_applicable")
    kind = g["type"]

    rows = (kind == "boolean") & (verdict == "")
    if rows.any():
        yn = parse_yes_no(text[rows])
        put(rows & (yn == "yes").reindex(g.index, fill_value=False), "met", "yes")
        put(rows & (yn == "no").reindex(g.index, fill_value=False), "not_met", "no")
        put(rows & (yn == "ambiguous").reindex(g.index, fill_value=False), "review",
            "yes_no_ambiguous")
        put(rows, "invalid", "not_yes_no")

    rows = (kind == "number") & (verdict == "")
    if rows.any():
        nums = parse_numbers(text[rows])
        uniq = {u: normalise_unit(u) for u in nums["unit"].unique()}
        found = nums["unit"].map(uniq)
        unit_found[rows] = nums["unit"]
        value = nums["value"].reindex(g.index)
        ok = nums["ok"].reindex(g.index, fill_value=False)
        unit_ok = ((found == "") | (found == g.loc[rows, "unit_key"])).reindex(
            g.index, fill_value=False)
        word = nums["qualifier"].map(QUALIFIERS).where(nums["qualifier"] != "", "")
        word = word.fillna("approx").reindex(g.index, fill_value="")
        put(rows & ~ok, "invalid", "not_number")
        put(rows & ~unit_ok, "invalid", "wrong_unit")
        put(rows & (g["unit_key"] == "%") & ((value < 0) | (value > 100)), "invalid",
            "share_out_of_range")
        put(rows & (word == "approx"), "review", "approximate")
        put(rows & (word != "") & award & g["has_steps"], "review", "approximate")
        bounded = rows & (word != "") & (verdict == "")
        if bounded.any():
            decided = pd.Series(_bounds(word[bounded].to_numpy(), value[bounded].to_numpy(),
                                        g.loc[bounded, "min"].to_numpy(dtype=float),
                                        g.loc[bounded, "max"].to_numpy(dtype=float)),
                                index=g.index[bounded]).reindex(g.index, fill_value="")
            put(decided == "met", "met", "bound_ok")
            put(decided == "not_met", "not_met", "bound_out")
            put(decided == "review", "review", "bound_unclear")
        inside = (g["min"].isna() | (value >= g["min"])) & (g["max"].isna() | (value <= g["max"]))
        put(rows & inside, "met", "number_ok")
        put(rows, "not_met", "out_of_range")
        g["value"] = value

    rows = (kind == "choice") & (verdict == "")
    tokens = pd.DataFrame(columns=["index", "criterion_id", "key"])
    if rows.any():
        choices = _choices_frame(selected)
        multiple = rows & g["multiple"].astype(bool)
        single = rows & ~multiple
        parts = split_choices(text[multiple]).explode()
        tokens = pd.concat([text[single], parts]).rename("token").to_frame()
        tokens["criterion_id"] = g.loc[tokens.index, "criterion_id"].to_numpy()
        tokens["key"] = choice_key(tokens["token"].fillna("").astype(str))
        tokens = tokens[tokens["key"] != ""].rename_axis("index").reset_index()
        matched = tokens.merge(choices, on=["criterion_id", "key"], how="left")
        matched["known"] = matched["choice"].notna()
        matched["accepted"] = matched["accepted"].eq(True)
        per_row = matched.groupby("index")[["known", "accepted"]].all()
        known = per_row["known"].reindex(g.index, fill_value=False)
        accepted = per_row["accepted"].reindex(g.index, fill_value=False)
        put(rows & ~known, "invalid", "not_a_choice")
        put(rows & accepted, "met", "choice_ok")
        put(rows, "not_met", "choice_not_accepted")

    rows = (kind == "date") & (verdict == "")
    if rows.any():
        when = parse_dates(text[rows]).reindex(g.index)
        put(rows & when.isna(), "invalid", "not_a_date")
        inside = (g["not_before"].isna() | (when >= g["not_before"])) & \
                 (g["not_after"].isna() | (when <= g["not_after"]))
        put(rows & inside, "met", "date_ok")
        put(rows, "not_met", "out_of_range")

    put(kind == "text", "review", "text")

    # award criteria: the best step reached, or the fixed value when met
    steps = _steps_frame(selected, lang)
    fixed = award & (verdict == "met") & ~g["has_steps"]
    amount[fixed] = g.loc[fixed, "award_value"]
    label[fixed] = g.loc[fixed, "award_label"]
    stepped = award & g["has_steps"] & (verdict == "met")
    if stepped.any() and not steps.empty:
        by_number = steps[steps["equals"] == ""]
        cand = g.loc[stepped, ["criterion_id"]].rename_axis("index").reset_index().merge(
            by_number, on="criterion_id")
        v = g["value"].reindex(cand["index"]).to_numpy() if "value" in g else np.nan
        reached = (cand["at_least"].isna() | (v >= cand["at_least"])) & \
            (cand["at_most"].isna() | (v <= cand["at_most"])) & \
            (cand["at_least"].notna() | cand["at_most"].notna())
        by_choice = tokens[tokens["index"].isin(g.index[stepped])].merge(
            steps[steps["equals"] != ""], left_on=["criterion_id", "key"],
            right_on=["criterion_id", "equals_key"])
        hits = pd.concat([cand[reached.to_numpy()], by_choice])[["index", "step_value", "label"]]
        best = hits.sort_values("step_value").groupby("index").last()
        amount[best.index] = best["step_value"]
        label[best.index] = best["label"]
        none = stepped & amount.isna()
        verdict[none] = "not_met"
        code[none] = "award_none"
    code[award & amount.notna()] = "award_met"
    code[award & (verdict == "not_met") & (code != "award_none")] = "award_none"

    needs_evidence = g["evidence_required"] & (verdict == "met") & \
        (normalise_text(g["evidence"]) == "")
    verdict[needs_evidence] = "review"
    code[needs_evidence] = "evidence_missing"
    amount[needs_evidence] = np.nan

    g["verdict"] = verdict
    g["reason_code"] = code
    g["award_amount"] = amount
    g["reason"] = _reasons(g, code, text, unit_found, label, lang)


def _reasons(g: pd.DataFrame, code: pd.Series, text: pd.Series, unit_found: pd.Series,
             label: pd.Series, lang: str) -> pd.Series:
    """The reason text per row: one template per reason code, filled column-wise."""
    reason = pd.Series("", index=g.index, dtype=object)
    limit = pd.Series(np.where(code == "not_applicable", 300, 80), index=g.index)
    shown = text.where(text.str.len() <= limit, text.str.slice(0, 79) + "…")
    fields = {"answer": shown, "unit": g["unit"], "unit_found": unit_found,
              "requirement": g["requirement"], "choices": g["choices_text"], "award": label}
    for name in code.unique():
        if not name:
            continue
        mask = code == name
        template = REASONS[name][lang]
        pieces = template.replace("}", "{").split("{")
        out = pd.Series("", index=g.index[mask], dtype=object)
        for i, piece in enumerate(pieces):
            out = out + (fields[piece][mask].astype(str) if i % 2 else piece)
        reason[mask] = out.str.replace(" ()", "", regex=False)
    return reason


def _deductions(g: pd.DataFrame, suppliers: pd.DataFrame) -> None:
    if g.empty:
        for column in ("deduction_sek", "points"):
            g[column] = pd.Series(dtype=float)
        return
    bid = g["supplier"].map(suppliers.set_index("supplier")["bid_price"])
    method = g["award_method"]
    amount = g["award_amount"]
    g["deduction_sek"] = np.where(method == "price_deduction_sek", amount,
                                  np.where(method == "price_deduction_pct",
                                           amount / 100.0 * bid, np.nan))
    g["points"] = np.where(method == "points", amount, np.nan)


def _join_ids(rows: pd.DataFrame) -> pd.Series:
    return rows.groupby("supplier")["criterion_id"].agg(", ".join)


_STATUS_TEXT = {
    "sv": {"not_met": "krav ej uppfyllda: {ids}", "invalid": "ogiltiga svar: {ids}",
           "missing": "svar saknas: {ids}", "review": "att granska: {ids}",
           "ok": "alla obligatoriska krav uppfyllda",
           "no_bid": "anbudspris saknas eller kan inte läsas – kan inte rangordnas",
           "award_review": "avdrag väntar på granskning: {ids}"},
    "en": {"not_met": "requirements not met: {ids}", "invalid": "invalid answers: {ids}",
           "missing": "no answer: {ids}", "review": "to review: {ids}",
           "ok": "all mandatory requirements met",
           "no_bid": "bid price missing or unreadable – cannot be ranked",
           "award_review": "deductions pending review: {ids}"},
}


def _suppliers(v: pd.DataFrame, sup: pd.DataFrame, rules: pd.DataFrame,
               spec: ProcurementSpec, findings: Report, lang: str) -> pd.DataFrame:
    t = _STATUS_TEXT[lang]
    if "bid_price_location" not in sup:
        sup = sup.assign(bid_price_location="")
    out = sup[["supplier", "org_number", "source", "bid_price", "bid_price_text",
               "bid_price_formula", "bid_price_location"]].copy().set_index("supplier")
    counts = pd.crosstab(v["supplier"], v["verdict"]) if not v.empty else pd.DataFrame()
    for verdict in VERDICTS:
        col = counts[verdict] if verdict in counts else pd.Series(dtype=int)
        out[verdict] = col.reindex(out.index, fill_value=0).astype(int)
    mandatory = v["kind"].isin([k for k in KINDS if k != "award"])
    reasons = pd.Series("", index=out.index, dtype=object)
    for verdict in ("not_met", "invalid", "missing", "review"):
        ids = _join_ids(v[mandatory & (v["verdict"] == verdict)]).reindex(out.index)
        part = t[verdict].format(ids="") + ids
        reasons = reasons.where(ids.isna(), reasons.where(reasons == "", reasons + "; ") + part)
    failing = mandatory & v["verdict"].isin(["not_met", "invalid", "missing"])
    failed = v[failing & (v["kind"] == "qualification")]["supplier"]
    rejected = v[failing & (v["kind"] != "qualification")]["supplier"]
    reviewed = v[mandatory & (v["verdict"] == "review")]["supplier"]
    status = pd.Series("qualified", index=out.index, dtype=object)
    status[status.index.isin(reviewed)] = "pending_review"
    status[status.index.isin(rejected)] = "rejected"
    status[status.index.isin(failed)] = "not_qualified"
    implausible = _implausible_bids(out, spec, findings, lang)
    status[implausible.index[(implausible != "") & (status[implausible.index] == "qualified")]] \
        = "pending_review"
    out["status"] = status
    out["reason"] = reasons.where(reasons != "", t["ok"])
    sums = v.groupby("supplier")[["deduction_sek", "points"]].sum(min_count=1) \
        if not v.empty else pd.DataFrame(columns=["deduction_sek", "points"])
    out["deductions"] = sums["deduction_sek"].reindex(out.index).fillna(0.0)
    out["points"] = sums["points"].reindex(out.index)
    out["comparison_price"] = (out["bid_price"] - out["deductions"]).clip(lower=0)
    rankable = (out["status"] == "qualified") & out["comparison_price"].notna()
    out["rank"] = out["comparison_price"].where(rankable).rank(method="min").astype("Int64")
    remarks = pd.Series("", index=out.index, dtype=object)
    award_review = _join_ids(v[(v["kind"] == "award") & (v["verdict"] == "review")])
    remarks = remarks.where(award_review.reindex(out.index).isna(),
                            t["award_review"].format(ids="") + award_review.reindex(out.index))
    no_bid = out["bid_price"].isna()
    remarks = remarks.where(~no_bid, remarks.where(remarks == "", remarks + "; ") + t["no_bid"])
    odd = implausible != ""
    remarks = remarks.where(~odd, remarks.where(remarks == "", remarks + "; ") + implausible)
    out["remarks"] = remarks
    needs_price = (rules["award_method"].isin(["price_deduction_sek", "price_deduction_pct"])
                   .any() if not rules.empty else False) or spec.award_method != "points"
    for name, row in out[no_bid].iterrows():
        found = row["bid_price_text"]
        if row["bid_price_formula"]:
            message = tr("{name!r}: the bid price cell holds a formula ({found}); type the "
                         "amount",
                         "{name!r}: cellen för anbudspris innehåller en formel ({found}); skriv "
                         "in beloppet", name=name, found=found)
        elif str(found).strip():
            message = tr("{name!r}: the bid price {found!r} is not an amount in SEK",
                         "{name!r}: anbudspriset {found!r} är inget belopp i kronor",
                         name=name, found=found)
        else:
            message = tr("{name!r}: no bid price given", "{name!r}: anbudspris saknas",
                         name=name)
        if needs_price:
            message = tr("{message}; deductions and comparison price cannot be computed",
                         "{message}; avdrag och jämförelsepris kan inte beräknas",
                         message=message)
        findings.add("bid-price", message, file=row["source"],
                     severity="warning" if needs_price else "info")
    out["counts"] = [dict(zip(VERDICTS, map(int, values)))
                     for values in out[list(VERDICTS)].to_numpy()]
    out = out.reset_index()
    order = {"qualified": 0, "pending_review": 1, "rejected": 2, "not_qualified": 3}
    out["_rank"] = out["rank"].astype("Float64").fillna(np.inf)
    out["_status"] = out["status"].map(order)
    out = out.sort_values(["_rank", "_status", "comparison_price"], kind="stable",
                          na_position="last")
    return out[SUPPLIER_COLUMNS].reset_index(drop=True)


# a bid this far from the estimate is far more likely a misread or mistyped amount than a price
_BID_TOO_LOW, _BID_TOO_HIGH = 0.01, 100.0


def _implausible_bids(out: pd.DataFrame, spec: ProcurementSpec, findings: Report, lang: str
                      ) -> pd.Series:
    """Per supplier, why its bid needs a person ("" when it looks like a price).

    The yardstick is the spec's estimated value, else the median of the other bids (when there
    are at least two): a bid below 1 % of it or above 100 times it is reported with its cell.
    """
    why = pd.Series("", index=out.index, dtype=object)
    bids = out["bid_price"]
    estimate = spec.estimated_value_sek
    for name, bid in bids.items():
        if pd.isna(bid) or bid <= 0:
            continue
        if estimate:
            yardstick = float(estimate)
            what = (Msg("the estimated value SEK {v}", "det uppskattade värdet {v} kr",
                        v=format_number(yardstick, get_lang())),
                    Msg("the estimated value SEK {v}", "det uppskattade värdet {v} kr",
                        v=format_number(yardstick, lang)))
        else:
            others = bids.drop(index=name).dropna()
            if len(others) < 2:
                continue
            yardstick = float(others.median())
            what = (Msg("the median of the other bids (SEK {v})",
                        "medianen av de andra anbuden ({v} kr)",
                        v=format_number(yardstick, get_lang())),
                    Msg("the median of the other bids (SEK {v})",
                        "medianen av de andra anbuden ({v} kr)", v=format_number(yardstick, lang)))
        if yardstick <= 0 or _BID_TOO_LOW <= bid / yardstick <= _BID_TOO_HIGH:
            continue
        low = bid / yardstick < _BID_TOO_LOW
        size = Msg("below 1 % of", "under 1 % av") if low else Msg("over 100 times",
                                                                     "över 100 gånger")
        where = out.at[name, "bid_price_location"] or Path(str(out.at[name, "source"])).name
        message = tr("{name!r}: the bid price {found!r} ({where}) is {size} {what}; check that "
                     "the amount was typed and read right before ranking",
                     "{name!r}: anbudspriset {found!r} ({where}) är {size} {what}; kontrollera "
                     "att beloppet är rätt skrivet och läst innan anbuden rangordnas",
                     name=name, found=out.at[name, "bid_price_text"], where=where,
                     size=size, what=what[0])
        findings.add("bid-price-review", message, file=str(out.at[name, "source"]),
                     severity="warning")
        why[name] = Msg("the bid price is {size} {what} – check it",
                        "anbudspriset är {size} {what} – kontrollera det",
                        size=size.render(lang), what=what[1].render(lang)).render(lang)
    return why


def check_answers(spec: ProcurementSpec, paths: Sequence[str | Path], *,
                  criteria_set: CriteriaSet | None = None, lang: str = "sv",
                  strict_fingerprint: bool = True) -> Evaluation:
    """Read the answer files for ``spec`` and evaluate them (the whole ``procure check``)."""
    cset, selected = resolve(spec, criteria_set)
    answers = read_answers(paths, criteria_ids=[s.id for s in selected],
                           fingerprint=spec.fingerprint(selected),
                           strict_fingerprint=strict_fingerprint)
    return evaluate(spec, cset, selected, answers, lang)
