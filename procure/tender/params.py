"""Buyer parameters: the values a criteria set leaves to the buyer, filled in the spec.

A set says "Service within {max_distance_km} km" and declares ``max_distance_km`` as
``set_by: buyer`` (no source gives a number). The spec holds the buyer's value under
``criteria.params``; until every such value is set the annex can only be written as a draft.
``--param KEY=VALUE`` names the parameter alone when only one chosen criterion has it, else
``CRITERION-ID.KEY=VALUE``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from procure.errors import ParamError, SpecError
from procure.i18n import tr
from procure.io.numbers import parse_number
from procure.model import Parameter, SelectedCriterion, Source


@dataclass(frozen=True)
class OpenParam:
    """A buyer parameter a chosen criterion uses that has no value yet."""

    criterion_id: str
    param: Parameter

    @property
    def name(self) -> str:
        return self.param.name

    def label(self, lang: str) -> str:
        return self.param.label.get_lang(lang) or self.param.name

    @property
    def suggested(self) -> Any:
        return self.param.suggested

    @property
    def source(self) -> Source | None:
        return self.param.source

    def to_dict(self, lang: str = "sv") -> dict[str, Any]:
        source = self.param.source
        return {"criterion_id": self.criterion_id, "param": self.name,
                "label": self.label(lang), "unit": self.param.unit, "type": self.param.type,
                "suggested": self.suggested,
                "source": None if source is None else {
                    "title": source.title, "url": source.url, "locator": source.locator,
                    "checked": source.checked}}


def open_params(selected: Iterable[SelectedCriterion]) -> list[OpenParam]:
    """Every buyer parameter still unset, in tender order."""
    return [OpenParam(s.id, s.criterion.parameters[name])
            for s in selected for name in s.open_params]


def require_complete(selected: Iterable[SelectedCriterion], spec_path: str | None = None
                     ) -> None:
    """Raise one clear error naming the first unset buyer parameter (and how many more)."""
    missing = open_params(selected)
    if not missing:
        return
    first = missing[0]
    more = len(missing) - 1
    raise SpecError(
        tr("{id}: the buyer parameter {name} ({label}) is not set{more}",
           "{id}: beställarparametern {name} ({label_sv}) är inte ifylld{more_sv}",
           id=first.criterion_id, name=first.name, label=first.label("en"),
           label_sv=first.label("sv"),
           more=f" (and {more} more)" if more else "",
           more_sv=f" (och {more} till)" if more else ""),
        file=spec_path,
        hint=tr("set criteria.params.{id}.{name} in the spec, or write a draft with --draft",
                "ange criteria.params.{id}.{name} i spec-filen, eller skriv ett utkast med "
                "--draft",
                name=first.name, id=first.criterion_id))


def parse_value(raw: str, param: Parameter | None, where: str) -> Any:
    """A value as typed on the command line, read by the parameter's type.

    Numbers are read as officers write them in either language ("50", "1,5", "1 000");
    a date must be YYYY-MM-DD; a level param without a declared type is a number when it
    reads as one, else a plain YAML value.
    """
    kind = param.type if param is not None else None
    raw = raw.strip()
    unit = param.unit if param is not None else None
    if unit and raw.casefold().endswith(unit.casefold()) and raw[: -len(unit)].strip():
        raw = raw[: -len(unit)].strip()  # "50 km" for a parameter in km
    if kind in (None, "number"):
        number = parse_number(raw) if raw else None
        if number is not None:
            return int(number) if number.is_integer() else number
        if kind == "number":
            raise ParamError(tr("{raw!r} is not a number; expected e.g. 50 or 1,5",
                                "{raw!r} är inget tal; skriv t.ex. 50 eller 1,5", raw=raw),
                             location=where)
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ParamError(tr("{raw!r} is not a date", "{raw!r} är inget datum", raw=raw),
                             location=where,
                             hint=tr("write YYYY-MM-DD", "skriv ÅÅÅÅ-MM-DD")) from None
    if kind == "text":
        return raw
    try:
        value = yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError:
        return raw
    return value.isoformat() if isinstance(value, dt.date) else value


def _owners(selected: list[SelectedCriterion], key: str) -> list[SelectedCriterion]:
    return [s for s in selected if key in s.params or key in s.open_params
            or (key in s.criterion.parameters and s.criterion.parameters[key].buyer)]


def assign(selected: list[SelectedCriterion], entries: Iterable[tuple[str | None, str, str]]
           ) -> dict[str, dict[str, Any]]:
    """Turn ``(criterion id or None, key, raw value)`` entries into spec params.

    A key without a criterion id must belong to exactly one chosen criterion; otherwise the
    error names the criteria so the buyer can write ``CRITERION-ID.KEY=VALUE``.
    """
    by_id = {s.id: s for s in selected}
    result: dict[str, dict[str, Any]] = {}
    for cid, key, raw in entries:
        where = f"--param {cid + '.' if cid else ''}{key}"
        if cid is None:
            owners = _owners(selected, key)
            if not owners:
                known = sorted({k for s in selected for k in (*s.params, *s.open_params)})
                raise ParamError(tr("no chosen criterion has a parameter {key!r}",
                                    "inget valt kriterium har parametern {key!r}", key=key),
                                 location=where,
                                 hint=tr("parameters: {known}", "parametrar: {known}",
                                         known=", ".join(known) or "–"))
            if len(owners) > 1:
                ids = ", ".join(s.id for s in owners)
                raise ParamError(tr("{key!r} is a parameter of {ids}; write "
                                    "CRITERION-ID.{key}=VALUE",
                                    "{key!r} är en parameter i {ids}; skriv "
                                    "KRITERIE-ID.{key}=VÄRDE", key=key, ids=ids),
                                 location=where)
            target = owners[0]
        else:
            target = by_id.get(cid)
            if target is None:
                # not chosen here: the id may still be valid (select() reports it precisely)
                result.setdefault(cid, {})[key] = parse_value(raw, None, where)
                continue
        param = target.criterion.parameters.get(key)
        result.setdefault(target.id, {})[key] = parse_value(
            raw, param if param is not None and param.buyer else None, where)
    return result


def label_text(param: Parameter, lang: str) -> str:
    """'Största avstånd till verkstad (km)': how the buyer is asked for a value."""
    label = param.label.get_lang(lang) or param.name
    return f"{label} ({param.unit})" if param.unit else label


def marked_text(selected: SelectedCriterion, lang: str) -> str:
    """The requirement text with each open value shown as ``[label]`` instead of ``{name}``."""
    text = selected.text.get_lang(lang)
    for name in selected.open_params:
        param = selected.criterion.parameters[name]
        text = text.replace(f"{{{name}}}", f"[{param.label.get_lang(lang) or name}]")
    return text
