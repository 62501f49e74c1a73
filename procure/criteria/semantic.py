"""Semantic checks on a criteria set: what JSON Schema cannot see.

Runs over the raw items of every file, so each finding keeps its file, path and line.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from procure.findings import Report
from procure.i18n import tr
from procure.io.yamlio import join_path

if TYPE_CHECKING:
    from procure.criteria.load import Item, RawSet

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
TEXT_FIELDS = ("title", "text", "verification", "follow_up", "rationale")
KIND_FOR_AWARD = "award"


def placeholders(value: Any) -> set[str]:
    """Every ``{name}`` in a string, or in the strings inside a dict/list."""
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(placeholders(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(placeholders(v) for v in value)) if value else set()
    return set()


def check_semantics(raw: RawSet, report: Report) -> None:
    languages = raw.header.get("languages") or ["sv"]
    if not isinstance(languages, list):
        languages = ["sv"]
    if raw.header_file:
        _check_languages(raw.header, ("title", "description"), languages, report,
                         file=raw.header_file, base="", lines=raw.header_lines)
    category_ids = _check_categories(raw, languages, report)
    _check_criteria(raw, category_ids, languages, report)
    check_superseded(raw, report)


def _where(item: Item, sub: str = "") -> dict[str, Any]:
    path = join_path(item.path, sub) if sub else item.path
    return {"file": item.file, "path": path, "line": item.line(sub)}


def _check_languages(data: dict[str, Any], fields: tuple[str, ...], languages: list[str],
                     report: Report, *, file: str, base: str, lines: dict[str, int]) -> None:
    from procure.io.yamlio import line_for

    for name in fields:
        value = data.get(name)
        if not isinstance(value, dict):
            continue
        for lang in languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                path = join_path(join_path(base, name), lang) if base else join_path(name, lang)
                empty = isinstance(text, str)
                report.add("missing-language",
                           tr("{name} in language {lang!r} is {found}; the set declares "
                              "languages {languages}",
                              "{name} på språket {lang!r} {found_sv}; uppsättningen anger "
                              "språken {languages}",
                              name=name, lang=lang, found="empty" if empty else "missing",
                              found_sv="är tomt" if empty else "saknas",
                              languages=", ".join(map(str, languages))),
                           file=file, path=path, line=line_for(lines, path))


def _check_categories(raw: RawSet, languages: list[str], report: Report) -> set[str]:
    counts = Counter(item.data["id"] for item in raw.categories)
    ids = set(counts)
    seen: set[str] = set()
    for item in raw.categories:
        cid = item.data["id"]
        if counts[cid] > 1 and cid in seen:
            report.add("duplicate-id", tr("category id {id!r} is defined more than once",
                                          "kategori-id {id!r} är definierat mer än en gång",
                                          id=cid), **_where(item, "id"))
        seen.add(cid)
        if "." in cid and cid.rsplit(".", 1)[0] not in ids:
            parent = cid.rsplit(".", 1)[0]
            report.add("unknown-parent", tr(
                "category {id!r} has parent {parent!r}, which is not defined; add the parent "
                "category or rename the id",
                "kategorin {id!r} har överkategorin {parent!r}, som inte är definierad; lägg "
                "till överkategorin eller byt id", id=cid, parent=parent), **_where(item, "id"))
        _check_languages(item.data, ("name", "description"), languages, report,
                         file=item.file, base=item.path, lines=item.lines)
        for i, code in enumerate(item.data.get("cpv") or []):
            sub = join_path("cpv", i)
            if not isinstance(code, str):
                report.add("cpv-format", tr(
                    "CPV code {code!r} was read as a number; write it in quotes as 8 digits, "
                    "e.g. \"60130000\"",
                    "CPV-koden {code!r} lästes som ett tal; skriv den inom citattecken som 8 "
                    "siffror, t.ex. \"60130000\"", code=code), **_where(item, sub))
            elif not re.fullmatch(r"\d{8}", code):
                digits = sum(ch.isdigit() for ch in code)
                report.add("cpv-format", tr(
                    "CPV code {code!r} has {digits} digits; expected 8 digits without check "
                    "digit, e.g. \"60130000\"",
                    "CPV-koden {code!r} har {digits} siffror; ska vara 8 siffror utan "
                    "kontrollsiffra, t.ex. \"60130000\"", code=code, digits=digits),
                    **_where(item, sub))
    return ids


def _check_criteria(raw: RawSet, category_ids: set[str], languages: list[str],
                    report: Report) -> None:
    counts = Counter(item.data["id"] for item in raw.criteria)
    seen: set[str] = set()
    for item in raw.criteria:
        d = item.data
        cid = d["id"]
        if counts[cid] > 1 and cid in seen:
            report.add("duplicate-id", tr("criterion id {id!r} is defined more than once",
                                          "kriterie-id {id!r} är definierat mer än en gång",
                                          id=cid), **_where(item, "id"))
        seen.add(cid)
        for i, cat in enumerate(d["categories"]):
            if cat not in category_ids:
                report.add("unknown-category", tr(
                    "criterion {id} refers to category {category!r}, which is not defined in "
                    "the set",
                    "kriteriet {id} hänvisar till kategorin {category!r}, som inte är definierad "
                    "i uppsättningen", id=cid, category=cat),
                    **_where(item, join_path("categories", i)))
        _check_languages(d, TEXT_FIELDS, languages, report, file=item.file, base=item.path,
                         lines=item.lines)
        for level, variant in d["levels"].items():
            if isinstance(variant, dict) and isinstance(variant.get("text"), dict):
                _check_languages(variant, ("text",), languages, report, file=item.file,
                                 base=join_path(join_path(item.path, "levels"), level),
                                 lines=item.lines)
        _check_placeholders(item, report)
        _check_rules(item, report)


def buyer_params(data: dict[str, Any]) -> set[str]:
    """Names of the parameters the buyer fills in (``set_by: buyer``): no value in levels."""
    declared = data.get("parameters") or {}
    return {name for name, p in declared.items()
            if isinstance(p, dict) and p.get("set_by") == "buyer"}


def _check_placeholders(item: Item, report: Report) -> None:
    d = item.data
    buyer = buyer_params(d)
    used_everywhere = placeholders(d["text"]) | placeholders(d.get("answer")) | placeholders(
        d.get("award")) | placeholders(d.get("title"))
    declared_params = d.get("parameters") or {}
    # A buyer parameter gets its value in the spec, never in the set's levels.
    buyer = {name for name, p in declared_params.items()
             if isinstance(p, dict) and p.get("set_by") == "buyer"}
    for level, variant in d["levels"].items():
        variant = variant or {}
        params = variant.get("params") or {}
        used = used_everywhere | placeholders(variant.get("text"))
        for name in sorted(used - set(params) - buyer):
            report.add("missing-param", tr(
                "placeholder {{{name}}} has no value at level {level!r}; add `{name}` to "
                "levels.{level}.params, or declare it a parameter with set_by: buyer",
                "platshållaren {{{name}}} saknar värde på nivån {level!r}; lägg till `{name}` i "
                "levels.{level}.params, eller deklarera den som parameter med set_by: buyer",
                name=name, level=level),
                **_where(item, join_path(join_path("levels", level), "params")))
    declared = set((d.get("parameters") or {}).keys())
    all_params = set().union(*((v or {}).get("params", {}) or {} for v in d["levels"].values()))
    for name in sorted(declared - all_params - buyer):
        report.add("unused-parameter", tr(
            "parameter {name!r} is described but never given a value in levels",
            "parametern {name!r} är beskriven men får aldrig något värde under levels",
            name=name), severity="warning", **_where(item, "parameters"))


def _check_rules(item: Item, report: Report) -> None:
    d = item.data
    cid, kind, answer, award = d["id"], d["kind"], d["answer"], d.get("award")
    atype = answer["type"]
    if kind == KIND_FOR_AWARD:
        if not award:
            report.add("award-missing", tr(
                "award criterion {id} has no `award` rule; add method and value or steps",
                "tilldelningskriteriet {id} saknar regeln `award`; ange method och value eller "
                "steps", id=cid), **_where(item, "kind"))
        elif atype == "text":
            report.add("award-answer", tr(
                "award criterion {id} has a text answer, which cannot be scored; use boolean, "
                "number or choice",
                "tilldelningskriteriet {id} har ett fritextsvar, som inte kan poängsättas; "
                "använd boolean, number eller choice", id=cid), **_where(item, "answer.type"))
        elif atype == "number" and not award.get("steps"):
            report.add("award-steps", tr(
                "award criterion {id} has a number answer; give `steps` with at_least/at_most "
                "thresholds",
                "tilldelningskriteriet {id} har ett svar i form av ett tal; ange `steps` med "
                "gränser at_least/at_most", id=cid), **_where(item, "award"))
        elif atype in ("boolean", "date") and award.get("value") is None:
            report.add("award-value", tr(
                "award criterion {id} needs `award.value` (the deduction or points when met)",
                "tilldelningskriteriet {id} behöver `award.value` (avdraget eller poängen när "
                "det är uppfyllt)", id=cid), **_where(item, "award"))
        elif atype == "choice" and award.get("value") is None and not award.get("steps"):
            report.add("award-value", tr(
                "award criterion {id} needs `award.value` or `steps` with `equals`",
                "tilldelningskriteriet {id} behöver `award.value` eller `steps` med `equals`",
                id=cid), **_where(item, "award"))
    elif award:
        report.add("award-on-mandatory", tr(
            "criterion {id} of kind {kind} has an `award` rule; only kind `award` gives "
            "deductions",
            "kriteriet {id} av typen {kind} har en `award`-regel; bara typen `award` ger avdrag",
            id=cid, kind=kind), **_where(item, "award"))
    if atype == "number" and answer.get("min") is None and answer.get("max") is None \
            and kind != KIND_FOR_AWARD:
        report.add("number-bounds", tr(
            "criterion {id}: a number answer needs `min` or `max` to be checked",
            "kriteriet {id}: ett svar i form av ett tal behöver `min` eller `max` för att kunna "
            "kontrolleras", id=cid), **_where(item, "answer"))
    if atype == "choice":
        choices = answer.get("choices") or []
        for value in answer.get("accepted") or []:
            if value not in choices:
                report.add("choice-accepted", tr(
                    "criterion {id}: accepted value {value!r} is not among choices {choices}",
                    "kriteriet {id}: det godtagna värdet {value!r} finns inte bland "
                    "alternativen {choices}", id=cid, value=value, choices=choices),
                    **_where(item, "answer.accepted"))
    if atype == "date" and not (answer.get("not_before") or answer.get("not_after")) \
            and kind != KIND_FOR_AWARD:
        report.add("date-bounds", tr(
            "criterion {id}: a date answer needs not_before or not_after",
            "kriteriet {id}: ett datumsvar behöver not_before eller not_after", id=cid),
            **_where(item, "answer"))
    for key in ("min", "max", "choices", "accepted", "not_before", "not_after", "multiple"):
        allowed = {"number": {"min", "max"}, "choice": {"choices", "accepted", "multiple"},
                   "date": {"not_before", "not_after"}}.get(atype, set())
        if key in answer and key not in allowed:
            report.add("answer-field", tr(
                "criterion {id}: `{key}` does not apply to a {type} answer",
                "kriteriet {id}: `{key}` gäller inte för svar av typen {type}",
                id=cid, key=key, type=atype), **_where(item, join_path("answer", key)))


def check_superseded(raw: RawSet, report: Report) -> None:
    """Old versions: each says what replaced it, and the live version is newer than all of them.

    Superseded entries are copies of what once was live, so only the structural checks that
    keep them loadable apply (placeholders, rules) — not today's stricter content rules.
    """
    live = {item.data["id"]: int(item.data.get("version", 1)) for item in raw.criteria}
    for item in raw.criteria:
        if "superseded" in item.data:
            report.add("superseded-live", tr(
                "criterion {id} has a `superseded` block but is in the live criteria; move the "
                "old version to superseded/ or remove the block",
                "kriteriet {id} har ett `superseded`-block men ligger bland de gällande "
                "kriterierna; flytta den gamla versionen till superseded/ eller ta bort blocket",
                id=item.data["id"]), **_where(item, "superseded"))
    seen: set[tuple[str, int]] = set()
    for item in raw.superseded:
        d = item.data
        cid = d["id"]
        version = int(d.get("version", 1))
        if "version" not in d:
            report.add("superseded-version", tr(
                "superseded criterion {id} has no `version`; write the version it had",
                "det ersatta kriteriet {id} saknar `version`; ange versionen det hade", id=cid),
                **_where(item, "id"))
        if (cid, version) in seen:
            report.add("duplicate-id", tr(
                "superseded criterion {id}:{version} is defined more than once",
                "det ersatta kriteriet {id}:{version} är definierat mer än en gång",
                id=cid, version=version), **_where(item, "id"))
        seen.add((cid, version))
        if not isinstance(d.get("superseded"), dict):
            report.add("superseded-block", tr(
                "superseded criterion {id}:{version} needs `superseded: {{by, date, note}}` "
                "saying what replaced it",
                "det ersatta kriteriet {id}:{version} behöver `superseded: {{by, date, note}}` "
                "som säger vad som ersatte det", id=cid, version=version), **_where(item, "id"))
        current = live.get(cid)
        if current is None:
            report.add("superseded-orphan", tr(
                "superseded criterion {id}:{version} has no live version in the set",
                "det ersatta kriteriet {id}:{version} har ingen gällande version i "
                "uppsättningen", id=cid, version=version), severity="warning",
                **_where(item, "id"))
        elif current <= version:
            report.add("superseded-version", tr(
                "live criterion {id} has version {live}, not newer than its superseded version "
                "{version}; give the live criterion `version: {next}`",
                "det gällande kriteriet {id} har version {live}, inte nyare än den ersatta "
                "versionen {version}; ge det gällande kriteriet `version: {next}`",
                id=cid, live=current, version=version, next=version + 1),
                **_where(item, "version"))
        block = d.get("superseded")
        by = block.get("by") if isinstance(block, dict) else None
        if isinstance(by, int) and current is not None and current > version \
                and not version < by <= current:
            report.add("superseded-by", tr(
                "superseded criterion {id}:{version} says `by: {by}`; expected a version after "
                "{version} and at most the live version {live}",
                "det ersatta kriteriet {id}:{version} anger `by: {by}`; ska vara en version "
                "efter {version} och högst den gällande versionen {live}",
                id=cid, version=version, by=by, live=current),
                **_where(item, "superseded.by"))
        _check_placeholders(item, report)
        _check_rules(item, report)
