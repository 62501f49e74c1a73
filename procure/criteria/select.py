"""Choose the criteria for one category at one level and fill their params in.

Level rule (as in the national criteria): for every criterion that applies to the category or
one of its parents, take the variant with the highest level not above the chosen one. A
criterion with only a spjutspets variant therefore appears only at spjutspets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace
from typing import Any

from procure.criteria.semantic import PLACEHOLDER, placeholders
from procure.errors import ParamError, ProcureError
from procure.i18n import tr
from procure.io.textfmt import format_number
from procure.model import (
    KINDS,
    AnswerRule,
    AwardRule,
    AwardStep,
    CriteriaSet,
    Criterion,
    Parameter,
    SelectedCriterion,
    Text,
    check_level,
    parse_ref,
)

Overrides = Mapping[str, Mapping[str, Any]]


def fill_text(template: str, params: Mapping[str, Any], lang: str) -> str:
    """Replace ``{name}`` with the param, formatted for the language."""
    return PLACEHOLDER.sub(
        lambda m: format_number(params[m.group(1)], lang) if m.group(1) in params else m.group(0),
        template,
    )


def fill_value(value: Any, params: Mapping[str, Any]) -> Any:
    """A rule value that is exactly ``{name}`` becomes the param's value (keeping its type)."""
    if isinstance(value, str):
        match = PLACEHOLDER.fullmatch(value)
        if match and match.group(1) in params:
            return params[match.group(1)]
        return fill_text(value, params, "en") if PLACEHOLDER.search(value) else value
    return value


def _fill_answer(rule: AnswerRule, params: Mapping[str, Any]) -> AnswerRule:
    return replace(
        rule,
        min=fill_value(rule.min, params),
        max=fill_value(rule.max, params),
        not_before=fill_value(rule.not_before, params),
        not_after=fill_value(rule.not_after, params),
    )


def _fill_award(rule: AwardRule | None, params: Mapping[str, Any]) -> AwardRule | None:
    if rule is None:
        return None
    steps = tuple(
        AwardStep(
            fill_value(s.value, params), fill_value(s.at_least, params),
            fill_value(s.at_most, params), s.equals,
        )
        for s in rule.steps
    )
    return AwardRule(rule.method, fill_value(rule.value, params), steps)


def at_level(criterion: Criterion, level: str, overrides: Mapping[str, Any] | None = None
             ) -> SelectedCriterion | None:
    """The criterion's variant for ``level`` with params (and overrides) filled in."""
    variant_name = criterion.variant_for(level)
    if variant_name is None:
        return None
    variant = criterion.levels[variant_name]
    params = dict(variant.params)
    buyer = {name: p for name, p in criterion.parameters.items() if p.buyer}
    for name, value in (overrides or {}).items():
        if name in buyer and name not in params:
            params[name] = check_buyer_value(criterion.id, buyer[name], value)
            continue
        if name not in params:
            known = ", ".join(sorted({*params, *buyer}))
            hint = tr("its params are: {known}", "dess parametrar är: {known}",
                      known=known) if known else tr("its params are: none",
                                                    "den har inga parametrar")
            if isinstance(name, int):  # "{share_pct: 1,5}" in YAML gives a key 5
                hint = tr("{hint}; a decimal comma in {{…}} splits the value, write 1.5",
                          "{hint}; ett decimalkomma inom {{…}} delar värdet, skriv 1.5",
                          hint=hint)
            raise ParamError(
                tr("criterion {id} has no param {name!r} at level {level}",
                   "kriteriet {id} har ingen parameter {name!r} på nivån {level}",
                   id=criterion.id, name=name, level=variant_name),
                location=f"params.{criterion.id}", hint=hint,
            )
        _check_override(criterion.id, name, value, params[name])
        params[name] = value
    template = variant.text or criterion.text
    text = Text({lang: fill_text(t, params, lang) for lang, t in template.items()})
    used = placeholders(dict(template)) | placeholders(asdict(criterion.answer)) | (
        placeholders(asdict(criterion.award)) if criterion.award else set())
    return SelectedCriterion(
        criterion=criterion,
        level=variant_name,
        params=params,
        text=text,
        answer=_fill_answer(criterion.answer, params),
        award=_fill_award(criterion.award, params),
        open_params=tuple(name for name in buyer if name in used and name not in params),
    )


def check_buyer_value(criterion_id: str, param: Parameter, value: Any) -> Any:
    """A buyer's value of the parameter's type: a number, an ISO date or a text."""
    where = f"params.{criterion_id}.{param.name}"
    if param.type == "number":
        if not _is_number(value):
            from procure.io.numbers import parse_number  # pandas: only on this error path

            number = parse_number(str(value)) if isinstance(value, str) else None
            raise ParamError(tr("{value!r} is not a number; {name} is a number in {unit}",
                                "{value!r} är inget tal; {name} är ett tal i {unit}",
                                value=value, name=param.name, unit=param.unit or "–"),
                             location=where,
                             hint=tr("write {number} with a decimal point",
                                     "skriv {number} med decimalpunkt",
                                     number=format_number(number, "en"))
                             if number is not None else None)
        return value
    if param.type == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ParamError(tr("{value!r} is not a date", "{value!r} är inget datum",
                                value=value), location=where,
                             hint=tr("write YYYY-MM-DD", "skriv ÅÅÅÅ-MM-DD")) from None
    if value is None or isinstance(value, list | dict) or str(value).strip() == "":
        raise ParamError(tr("{name} needs a text", "{name} behöver en text", name=param.name),
                         location=where)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_override(criterion_id: str, name: str, value: Any, default: Any) -> None:
    """An override must be of the default's kind: a number stays a number.

    A threshold given as text ("1,5") would otherwise silently drop the bound it fills in.
    """
    where = f"params.{criterion_id}.{name}"
    if value is None or isinstance(value, list | dict):
        kind = type(value).__name__
        found = tr("empty", "tomt") if value is None else tr(
            "a {kind}", "{kind_sv}", kind=kind,
            kind_sv={"list": "en lista", "dict": "en mappning"}.get(kind, kind))
        raise ParamError(tr("the value is {found}; expected a single value like {default!r}",
                            "värdet är {found}; ska vara ett enda värde, t.ex. {default!r}",
                            found=found, default=default),
                         location=where)
    if _is_number(default) and not _is_number(value):
        from procure.io.numbers import parse_number  # pandas: only on this error path

        number = parse_number(str(value))
        hint = (tr("write {number} with a decimal point", "skriv {number} med decimalpunkt",
                   number=format_number(number, "en")) if number is not None else None)
        raise ParamError(tr("{value!r} is not a number; expected a number like {default}",
                            "{value!r} är inget tal; ska vara ett tal, t.ex. {default}",
                            value=value, default=default),
                         location=where, hint=hint)


def sort_key(selected: SelectedCriterion) -> tuple[int, str]:
    """Tender order: qualification, technical specs, award criteria, contract clauses."""
    return KINDS.index(selected.kind), selected.id


def _located(lookup: Any, key: str, where: str) -> Any:
    """``lookup(key)``, with an error saying which argument held the unknown id."""
    try:
        return lookup(key)
    except ProcureError as exc:
        exc.location = exc.location or where
        raise


def _live(criteria_set: CriteriaSet, ref: str, where: str) -> Criterion:
    """The live criterion for ``ID`` or ``ID:N``; an old version is not chosen for a new spec."""
    criterion = _located(criteria_set.criterion, ref, where)
    if criterion.superseded is not None:
        live = criteria_set.criteria.get(criterion.id)
        raise ParamError(tr("{ref} is an old version{now}; new specs take the live version",
                            "{ref} är en gammal version{now_sv}; nya spec-filer tar den "
                            "gällande versionen", ref=criterion.ref,
                            now=f" ({live.ref} replaces it)" if live else "",
                            now_sv=f" ({live.ref} ersätter den)" if live else ""),
                         location=where,
                         hint=tr("write {id} without a version", "skriv {id} utan version",
                                 id=criterion.id))
    return criterion


def alternative_of(criterion_id: str) -> str | None:
    """The base criterion a merged-in alternative stands beside: ``umea/TRN-FUEL-01`` →
    ``TRN-FUEL-01`` (None for an id without a set's namespace)."""
    return criterion_id.rsplit("/", 1)[1] if "/" in criterion_id else None


def select(
    criteria_set: CriteriaSet,
    category: str,
    level: str,
    *,
    overrides: Overrides | None = None,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> list[SelectedCriterion]:
    """The criteria that apply to ``category`` (and its parents) at ``level``, in tender order.

    ``add`` takes criteria ids from outside the category (or an alternative a merge kept beside
    a base criterion, see :func:`alternative_of`); ``remove`` drops ids; ``overrides``
    maps a criterion id to params that replace the level's defaults. An error's ``location``
    names the argument at fault (``category``, ``add``, ``remove``, ``params.<id>.<name>``).
    """
    check_level(level)
    _located(criteria_set.category, category, "category")
    overrides = {parse_ref(cid)[0]: values for cid, values in (overrides or {}).items()}
    for where, ids in (("remove", remove), ("add", add), ("params", overrides)):
        for cid in ids:
            _live(criteria_set, cid, where)
    removed = {parse_ref(cid)[0] for cid in remove}
    chosen = [c for c in criteria_set.criteria_for(category) if c.id not in removed]
    chosen_ids = {c.id for c in chosen}
    # a merge that kept both sides of a conflict holds the other set's text beside the base's
    # ("umea/TRN-FUEL-01" beside "TRN-FUEL-01"): one requirement, two wordings, so only the
    # base's is taken unless the other's is added by name
    chosen = [c for c in chosen if alternative_of(c.id) not in chosen_ids]
    chosen_ids = {c.id for c in chosen}
    chosen += [_live(criteria_set, cid, "add") for cid in add
               if parse_ref(cid)[0] not in chosen_ids]
    result = []
    for criterion in chosen:
        selected = at_level(criterion, level, overrides.get(criterion.id))
        if selected is not None:
            result.append(selected)
    return sorted(result, key=sort_key)


def browse(criteria_set: CriteriaSet, *, category: str | None = None, kind: str | None = None,
           level: str | None = None, text: str | None = None, area: str | None = None,
           lang: str = "sv") -> list[tuple[Criterion, SelectedCriterion | None]]:
    """Criteria filtered as ``criteria list`` and the browser's library page filter them.

    ``category`` keeps the criteria that apply to it (and so to its parents); ``level`` shows each
    at that level and leaves out those without a variant up to it; ``area`` keeps those attached to
    any category in that area (``transport``: also ``transport.school``); ``text`` keeps those whose id,
    title or text (in ``lang``) holds every word. Sorted by kind, then id.
    """
    items = list(criteria_set.criteria_for(category)) if category \
        else list(criteria_set.criteria.values())
    if kind:
        items = [c for c in items if c.kind == kind]
    if area:
        items = [c for c in items if any(cat.split(".", 1)[0] == area for cat in c.categories)]
    words = (text or "").casefold().split()
    out: list[tuple[Criterion, SelectedCriterion | None]] = []
    for crit in items:
        chosen = at_level(crit, level) if level else None
        if level and chosen is None:
            continue
        if words:
            haystack = " ".join([crit.id, crit.title.get_lang(lang),
                                 (chosen.text if chosen else crit.text).get_lang(lang)]).casefold()
            if not all(w in haystack for w in words):
                continue
        out.append((crit, chosen))
    out.sort(key=lambda pair: (KINDS.index(pair[0].kind), pair[0].id))
    return out
