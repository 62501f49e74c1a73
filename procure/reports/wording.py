"""Plain-language sentences about a criterion's rules: what to answer and how it is scored.

The annex tells a supplier, for every criterion, what form the answer takes and — for award
criteria — what the answer is worth. Both are derived from the machine rules (``AnswerRule``,
``AwardRule``) with the level's params already filled in, so the printed threshold is always
the one the check applies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from procure.i18n import choice_label, unit_label
from procure.io.textfmt import format_number
from procure.model import AnswerRule, AwardRule, AwardStep, SelectedCriterion

LANGS = ("sv", "en")

_W: dict[str, dict[str, str]] = {
    "sv": {
        "yes_no": "Svara Ja eller Nej. Kravet är uppfyllt när svaret är Ja.",
        "yes_no_clause": "Bekräfta med Ja att villkoret uppfylls under hela avtalstiden.",
        "yes_no_award": "Svara Ja eller Nej.",
        "number": "Ange ett tal",
        "unit": " (enhet: {unit})",
        "min": "lägst {v}", "max": "högst {v}", "between": "mellan {a} och {b}",
        "choice_one": "Välj ett av alternativen: {c}.",
        "choice_many": "Välj ett eller flera av alternativen: {c}.",
        "accepted": "Godtas: {c}.",
        "date": "Ange ett datum (ÅÅÅÅ-MM-DD)",
        "not_before": "tidigast {v}", "not_after": "senast {v}",
        "text": "Beskriv i fritext. Svaret bedöms av den upphandlande organisationen.",
        "evidence": "Bifoga underlag enligt Verifiering och ange filnamnet i svaret.",
        "sek_flat": "Uppfylls kriteriet görs ett avdrag med {v} från anbudspriset vid "
                    "utvärderingen.",
        "pct_flat": "Uppfylls kriteriet görs ett avdrag med {v} % av anbudspriset vid "
                    "utvärderingen.",
        "points_flat": "Uppfylls kriteriet ges {v} poäng.",
        "sek_steps": "Avdrag från anbudspriset: {s}.",
        "pct_steps": "Avdrag från anbudspriset: {s}.",
        "points_steps": "{s}.",
        "sek_step": "{v} vid {c}", "pct_step": "{v} % av anbudspriset vid {c}",
        "points_step": "{v} poäng vid {c}",
        "highest": "Det högsta steg som uppnås gäller; stegen läggs inte samman.",
        "at_least": "minst {v}", "at_most": "högst {v}", "range": "{a}–{b}",
        "equals": "svaret ”{v}”", "met": "att kriteriet uppfylls", "yes": "svaret Ja",
        "other": "Utvärderas enligt upphandlingsdokumenten.",
        "short_boolean": "Ja/Nej", "short_number": "Tal", "short_choice": "Val",
        "short_date": "Datum", "short_text": "Fritext",
        "money": "{v} kr",
    },
    "en": {
        "yes_no": "Answer Yes or No. The requirement is met when the answer is Yes.",
        "yes_no_clause": "Confirm with Yes that the clause is met for the whole contract period.",
        "yes_no_award": "Answer Yes or No.",
        "number": "Enter a number",
        "unit": " (unit: {unit})",
        "min": "at least {v}", "max": "at most {v}", "between": "between {a} and {b}",
        "choice_one": "Choose one of: {c}.",
        "choice_many": "Choose one or more of: {c}.",
        "accepted": "Accepted: {c}.",
        "date": "Enter a date (YYYY-MM-DD)",
        "not_before": "not before {v}", "not_after": "no later than {v}",
        "text": "Describe in free text. The answer is assessed by the contracting authority.",
        "evidence": "Attach the evidence named under Verification and give the file name in the answer.",
        "sek_flat": "If the criterion is met, {v} is deducted from the bid price in the evaluation.",
        "pct_flat": "If the criterion is met, {v} % of the bid price is deducted in the evaluation.",
        "points_flat": "If the criterion is met, it scores {v} points.",
        "sek_steps": "Deduction from the bid price: {s}.",
        "pct_steps": "Deduction from the bid price: {s}.",
        "points_steps": "{s}.",
        "sek_step": "{v} for {c}", "pct_step": "{v} % of the bid price for {c}",
        "points_step": "{v} points for {c}",
        "highest": "The highest step reached applies; steps are not added together.",
        "at_least": "at least {v}", "at_most": "at most {v}", "range": "{a}–{b}",
        "equals": "the answer “{v}”", "met": "meeting the criterion", "yes": "the answer Yes",
        "other": "Evaluated as set out in the procurement documents.",
        "short_boolean": "Yes/No", "short_number": "Number", "short_choice": "Choice",
        "short_date": "Date", "short_text": "Free text",
        "money": "SEK {v}",
    },
}


def words(lang: str) -> dict[str, str]:
    return _W[lang if lang in _W else "sv"]


def value_text(value: Any, lang: str, unit: str | None = None) -> str:
    """A threshold as a reader writes it: ``70 %``, ``1 500 g/km``, ``2027-12-31``."""
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, int | float):
        text = format_number(value, lang)
    else:
        text = "" if value is None else str(value)
    return f"{text}\u00a0{unit_label(unit, lang)}" if unit and text else text


def _bounds(rule: AnswerRule, lang: str, award: bool) -> str:
    w = words(lang)
    low, high = rule.min, rule.max
    if award and high is None and isinstance(low, int | float) and low == 0:
        low = None  # "at least 0" says nothing to a supplier
    if low is not None and high is not None:
        return w["between"].format(a=value_text(low, lang), b=value_text(high, lang, rule.unit))
    if low is not None:
        return w["min"].format(v=value_text(low, lang, rule.unit))
    if high is not None:
        return w["max"].format(v=value_text(high, lang, rule.unit))
    return ""


def answer_instruction(selected: SelectedCriterion, lang: str = "sv") -> str:
    """What the supplier writes in the answer template for this criterion, and what passes."""
    w = words(lang)
    rule = selected.answer
    award = selected.kind == "award"
    if rule.type == "boolean":
        if award:
            text = w["yes_no_award"]
        else:
            text = w["yes_no_clause" if selected.kind == "contract_clause" else "yes_no"]
    elif rule.type == "number":
        text = w["number"] + (w["unit"].format(unit=unit_label(rule.unit, lang))
                              if rule.unit else "")
        bounds = _bounds(rule, lang, award)
        text += f", {bounds}." if bounds else "."
    elif rule.type == "choice":
        choices = ", ".join(choice_label(c, lang) for c in rule.choices or rule.accepted)
        text = w["choice_many" if rule.multiple else "choice_one"].format(c=choices)
        if rule.accepted and set(rule.accepted) != set(rule.choices):
            accepted = ", ".join(choice_label(c, lang) for c in rule.accepted)
            text += " " + w["accepted"].format(c=accepted)
    elif rule.type == "date":
        parts = [w[key].format(v=value_text(getattr(rule, key), lang))
                 for key in ("not_before", "not_after") if getattr(rule, key) is not None]
        text = w["date"] + (", " + ", ".join(parts) if parts else "") + "."
    else:
        text = w["text"]
    if rule.evidence_required:
        text += " " + w["evidence"]
    return text


def short_answer(selected: SelectedCriterion, lang: str = "sv") -> str:
    """The answer form in a few words, for the summary table."""
    w = words(lang)
    rule = selected.answer
    text = w.get(f"short_{rule.type}", rule.type)
    if rule.type == "number":
        bounds = _bounds(rule, lang, selected.kind == "award")
        return f"{text}, {bounds}" if bounds else text
    if rule.type == "date":
        for key in ("not_before", "not_after"):
            if getattr(rule, key) is not None:
                return f"{text}, {w[key].format(v=value_text(getattr(rule, key), lang))}"
    return text


def _condition(step: AwardStep, rule: AnswerRule, lang: str) -> str:
    w = words(lang)
    if step.equals is not None:
        return w["equals"].format(v=step.equals)
    if step.at_least is not None and step.at_most is not None:
        return w["range"].format(a=value_text(step.at_least, lang),
                                 b=value_text(step.at_most, lang, rule.unit))
    if step.at_least is not None:
        return w["at_least"].format(v=value_text(step.at_least, lang, rule.unit))
    if step.at_most is not None:
        return w["at_most"].format(v=value_text(step.at_most, lang, rule.unit))
    return w["yes"] if rule.type == "boolean" else w["met"]


def _amount(method: str, value: Any, lang: str) -> str:
    if method == "price_deduction_sek":
        return words(lang)["money"].format(v=value_text(value, lang))
    return value_text(value, lang)


def award_description(selected: SelectedCriterion, lang: str = "sv") -> str:
    """How an award criterion's answer becomes a deduction or points ("" for other kinds)."""
    award: AwardRule | None = selected.award
    if award is None:
        return ""
    w = words(lang)
    short = {"price_deduction_sek": "sek", "price_deduction_pct": "pct",
             "points": "points"}.get(award.method)
    if short is None:
        return w["other"]
    if award.steps:
        steps = "; ".join(
            w[f"{short}_step"].format(v=_amount(award.method, s.value, lang),
                                      c=_condition(s, selected.answer, lang))
            for s in award.steps
        )
        text = w[f"{short}_steps"].format(s=steps)
        return f"{text} {w['highest']}" if len(award.steps) > 1 else text
    if award.value is None:
        return w["other"]
    return w[f"{short}_flat"].format(v=_amount(award.method, award.value, lang))
