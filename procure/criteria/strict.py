"""The stricter rules of format v2 (``$schema: procure/criteria-set/v2``).

An officer pastes our text into a binding tender, so in v2 a number must say where it comes
from and a text must be finished:

- every numeric value in ``levels.*.params`` is a declared parameter, either ``set_by: buyer``
  (no source gives a number; the buyer decides it in the spec) or sourced: ``confirm: false``
  and a ``source`` with ``locator`` (section, table, criterion number, page) and ``checked``;
- ``confirm: true`` ("no source gives it") is not allowed; a buyer parameter has a label and,
  when it is a number, a unit, and no value in levels; ``suggested`` needs a ``source``;
- no drafting note ("(avstånd som den upphandlande organisationen fastställer)") in any text;
- the languages of a criterion carry the same numbers and the same placeholders.

v1 sets never see these rules, so municipalities' own 1.x sets keep loading.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from procure.criteria.semantic import PLACEHOLDER, TEXT_FIELDS, _where, buyer_params, placeholders
from procure.findings import Report
from procure.i18n import tr
from procure.io.yamlio import join_path

if TYPE_CHECKING:
    from procure.criteria.load import Item, RawSet

_BUYER_SV = r"(?:beställaren|den\s+upphandlande\s+(?:organisationen|myndigheten|enheten))"
_BUYER_EN = r"(?:buyer|contracting\s+(?:authority|entity|organisation|organization))"
# Phrasings of a value left for the buyer to decide, as 1.0.2 wrote them: "(andel fastställd av
# beställaren)", "Andelen har fastställts av beställaren.", "(tid som den upphandlande
# organisationen fastställer)", "The share has been set by the buyer.", "(period set by the
# contracting authority)". Requirement text that merely refers to the buyer ("den mall som
# beställaren anger", "the format set by the buyer in the call-off") is left alone.
DRAFTING_NOTE = re.compile(
    rf"\b(?:fastställ|bestäm)\w*\s+av\s+{_BUYER_SV}"
    rf"|\bsom\s+{_BUYER_SV}\s+(?:fastställer|bestämmer)"
    rf"|\b(?:has|have)\s+been\s+(?:set|determined|decided)\s+by\s+the\s+{_BUYER_EN}"
    rf"|\b(?:set|determined|decided)\s+by\s+the\s+{_BUYER_EN}\s*[.;)]",
    re.IGNORECASE,
)

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
# a number glued to letters is part of a name (CO2, HVO100, PM10, A2), not a stated quantity
_NUMBER = {
    # thousands grouped by a (non-breaking) space, decimal comma: "1 000", "1,5"
    # (and a dotted number that is no thousands group, as standards and versions are written
    # in every language: "OCPP 1.6", "EN 16798-1.2")
    "sv": re.compile(r"(?<![\w,.])\d+\.(?:\d{1,2}|\d{4,})(?![\d.])"
                     r"|(?<![\w,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])"
                     r"|(?<![\w,.])\d+(?:,\d+)?(?![\d])"),
    # thousands grouped by a comma, decimal point: "1,000", "1.5"
    "en": re.compile(r"(?<![\w,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])"
                     r"|(?<![\w,.])\d+(?:\.\d+)?(?![\d])"),
}


def drafting_notes(text: str) -> list[str]:
    """The drafting-note phrases in ``text`` ("fastställd av beställaren"), as written."""
    return [m.group(0).strip() for m in DRAFTING_NOTE.finditer(text)]


def numbers_in(text: str, lang: str) -> set[float]:
    """The numbers a text states, read as its language writes them; placeholders excluded."""
    text = PLACEHOLDER.sub(" ", text).translate(_SUBSCRIPTS)
    pattern = _NUMBER.get(lang, _NUMBER["en"])
    found: set[float] = set()
    for match in pattern.finditer(text):
        value = match.group(0)
        if lang == "sv":
            value = re.sub(r"[ \u00a0\u202f]", "", value).replace(",", ".")
        else:
            value = value.replace(",", "")
        found.add(float(value))
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_strict(raw: RawSet, report: Report) -> None:
    """Add the v2 findings for every live criterion (superseded ones keep the rules they had)."""
    languages = raw.header.get("languages") or ["sv"]
    languages = [str(lang) for lang in languages] if isinstance(languages, list) else ["sv"]
    for item in raw.criteria:
        _check_level_params(item, report)
        _check_parameters(item, report)
        _check_unfilled(item, report)
        _check_texts(item, languages, report)


def _check_level_params(item: Item, report: Report) -> None:
    d = item.data
    declared = d.get("parameters") or {}
    buyer = buyer_params(d)
    for level, variant in (d.get("levels") or {}).items():
        for name, value in ((variant or {}).get("params") or {}).items():
            sub = join_path(join_path(join_path("levels", level), "params"), name)
            if name in buyer:
                report.add("buyer-param-level", tr(
                    "{id}: {name} is set by the buyer but has the value {value} at level "
                    "{level!r}; remove it (give a default as `suggested` with its source)",
                    "{id}: {name} sätts av beställaren men har värdet {value} på nivån "
                    "{level!r}; ta bort det (ange ett förslag som `suggested` med källa)",
                    id=d["id"], name=name, value=value, level=level), **_where(item, sub))
            elif _is_number(value) and name not in declared:
                report.add("param-undeclared", tr(
                    "{id}: the threshold {name} = {value} at level {level!r} is not a declared "
                    "parameter; declare it under `parameters` with its source (locator, "
                    "checked) or make it set_by: buyer",
                    "{id}: gränsvärdet {name} = {value} på nivån {level!r} är ingen deklarerad "
                    "parameter; beskriv den under `parameters` med källa (locator, checked) "
                    "eller gör den till set_by: buyer",
                    id=d["id"], name=name, value=value, level=level), **_where(item, sub))


def _numeric_params(d: dict[str, Any]) -> set[str]:
    return {name for variant in (d.get("levels") or {}).values()
            for name, value in ((variant or {}).get("params") or {}).items() if _is_number(value)}


def _check_parameters(item: Item, report: Report) -> None:
    d = item.data
    cid = d["id"]
    numeric = _numeric_params(d)
    for name, p in (d.get("parameters") or {}).items():
        if not isinstance(p, dict):
            continue
        sub = join_path("parameters", name)
        buyer = p.get("set_by") == "buyer"
        if p.get("confirm") is True:
            report.add("param-confirm", tr(
                "{id}: parameter {name} has confirm: true, which format v2 does not allow "
                "(make it set_by: buyer or give its source)",
                "{id}: parametern {name} har confirm: true, vilket format v2 inte tillåter "
                "(gör den till set_by: buyer eller ange dess källa)", id=cid, name=name),
                **_where(item, join_path(sub, "confirm")))
        if buyer:
            if not p.get("label"):
                report.add("buyer-param-label", tr(
                    "{id}: buyer parameter {name} has no `label`; the buyer is asked for it by "
                    "this name",
                    "{id}: beställarparametern {name} saknar `label`; beställaren tillfrågas "
                    "med det namnet", id=cid, name=name), **_where(item, sub))
            if p.get("type", "number") == "number" and not p.get("unit"):
                report.add("buyer-param-unit", tr(
                    "{id}: buyer parameter {name} has no `unit` (e.g. km, %, kr, months)",
                    "{id}: beställarparametern {name} saknar `unit` (t.ex. km, %, kr, månader)",
                    id=cid, name=name), **_where(item, sub))
        if p.get("suggested") is not None and not p.get("source"):
            report.add("suggested-source", tr(
                "{id}: parameter {name} suggests {value} but gives no `source` that says it",
                "{id}: parametern {name} föreslår {value} men anger ingen `source` som säger "
                "det", id=cid, name=name, value=p.get("suggested")),
                **_where(item, join_path(sub, "suggested")))
        source = p.get("source")
        if not buyer and p.get("confirm") is not True and name in numeric and not source:
            report.add("param-unsourced", tr(
                "{id}: threshold {name} has no `source`; give the source with locator and "
                "checked date, or make it set_by: buyer",
                "{id}: gränsvärdet {name} saknar `source`; ange källan med locator och "
                "checked (datum), eller gör den till set_by: buyer", id=cid, name=name),
                **_where(item, sub))
        if isinstance(source, dict):
            _check_source(cid, name, source, item, join_path(sub, "source"), report)


def _check_source(cid: str, name: str, source: dict[str, Any], item: Item, sub: str,
                  report: Report) -> None:
    if not source.get("locator"):
        report.add("source-locator", tr(
            "{id}: the source of {name} has no `locator` (section, table, criterion number or "
            "page that says it)",
            "{id}: källan för {name} saknar `locator` (avsnitt, tabell, kriterienummer eller "
            "sida som säger det)", id=cid, name=name), **_where(item, sub))
    if not source.get("checked"):
        report.add("source-checked", tr(
            "{id}: the source of {name} has no `checked` date (YYYY-MM-DD, when someone "
            "verified it says this)",
            "{id}: källan för {name} saknar datumet `checked` (ÅÅÅÅ-MM-DD, när någon "
            "kontrollerade att den säger detta)", id=cid, name=name), **_where(item, sub))


def _check_unfilled(item: Item, report: Report) -> None:
    """Verification, follow-up and rationale are printed as written: no placeholders there."""
    d = item.data
    for field in ("verification", "follow_up", "rationale"):
        for name in sorted(placeholders(d.get(field))):
            report.add("placeholder-unfilled", tr(
                "{id}: {field} contains {{{name}}}, which is never filled in; write the text "
                "without it",
                "{id}: {field} innehåller {{{name}}}, som aldrig fylls i; skriv texten utan den",
                id=d["id"], field=field, name=name), **_where(item, field))


def _texts(d: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path, {lang: text}) for every text of a criterion, level texts included."""
    found = [(name, d[name]) for name in TEXT_FIELDS if isinstance(d.get(name), dict)]
    for level, variant in (d.get("levels") or {}).items():
        if isinstance(variant, dict) and isinstance(variant.get("text"), dict):
            found.append((join_path(join_path("levels", level), "text"), variant["text"]))
    return found


def _fmt(values: set[Any]) -> str:
    def one(v: Any) -> str:
        return f"{{{v}}}" if isinstance(v, str) else (str(int(v)) if float(v).is_integer()
                                                       else str(v))
    return ", ".join(one(v) for v in sorted(values, key=str)) or "–"


def _check_texts(item: Item, languages: list[str], report: Report) -> None:
    d = item.data
    cid = d["id"]
    first = languages[0]
    for sub, text in _texts(d):
        for lang, value in text.items():
            if not isinstance(value, str):
                continue
            for phrase in drafting_notes(value):
                report.add("drafting-note", tr(
                    "{id}: {field} ({lang}) has the drafting note {phrase!r}; make the value a "
                    "{{placeholder}} with a parameter set_by: buyer",
                    "{id}: {field} ({lang}) har redaktionsanteckningen {phrase!r}; gör värdet "
                    "till en {{platshållare}} med en parameter set_by: buyer",
                    id=cid, field=sub, lang=lang, phrase=phrase),
                    **_where(item, join_path(sub, lang)))
        base = text.get(first)
        if not isinstance(base, str):
            continue
        for lang in languages[1:]:
            other = text.get(lang)
            if not isinstance(other, str):
                continue  # missing-language already says so
            a, b = placeholders(base), placeholders(other)
            if a != b:
                report.add("language-placeholders", tr(
                    "{id}: {field} has other placeholders in {first} than in {lang} (only in "
                    "{first}: {only_a}; only in {lang}: {only_b})",
                    "{id}: {field} har andra platshållare på {first} än på {lang} (bara på "
                    "{first}: {only_a}; bara på {lang}: {only_b})",
                    id=cid, field=sub, first=first, lang=lang, only_a=_fmt(a - b),
                    only_b=_fmt(b - a)), **_where(item, join_path(sub, lang)))
            x, y = numbers_in(base, first), numbers_in(other, lang)
            if x != y:
                report.add("language-numbers", tr(
                    "{id}: {field} states other numbers in {first} than in {lang} (only in "
                    "{first}: {only_a}; only in {lang}: {only_b})",
                    "{id}: {field} anger andra tal på {first} än på {lang} (bara på {first}: "
                    "{only_a}; bara på {lang}: {only_b})",
                    id=cid, field=sub, first=first, lang=lang, only_a=_fmt(x - y),
                    only_b=_fmt(y - x)), **_where(item, join_path(sub, lang)))
