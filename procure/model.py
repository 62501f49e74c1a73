"""The domain model: criteria sets, categories, criteria and their rules.

Objects are immutable once loaded. Text fields are ``{language: text}`` mappings; ``Text.get``
falls back to Swedish (the library's first language) so a missing translation never blanks a
document.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from procure.errors import UnknownCategoryError, UnknownCriterionError, UnknownLevelError
from procure.i18n import Msg, tr

LEVELS: tuple[str, ...] = ("bas", "avancerad", "spjutspets")
KINDS: tuple[str, ...] = ("qualification", "technical_spec", "award", "contract_clause")
MANDATORY_KINDS: frozenset[str] = frozenset({"qualification", "technical_spec", "contract_clause"})
ANSWER_TYPES: tuple[str, ...] = ("boolean", "number", "choice", "date", "text")
AWARD_METHODS: tuple[str, ...] = ("price_deduction_sek", "price_deduction_pct", "points")

KIND_LABELS: dict[str, dict[str, str]] = {
    "qualification": {"sv": "Kvalificeringskrav", "en": "Qualification requirement"},
    "technical_spec": {"sv": "Teknisk specifikation", "en": "Technical specification"},
    "award": {"sv": "Tilldelningskriterium", "en": "Award criterion"},
    "contract_clause": {"sv": "Särskilt kontraktsvillkor", "en": "Contract performance clause"},
}
KIND_LABELS_PLURAL: dict[str, dict[str, str]] = {
    "qualification": {"sv": "Kvalificeringskrav", "en": "Qualification requirements"},
    "technical_spec": {"sv": "Tekniska specifikationer", "en": "Technical specifications"},
    "award": {"sv": "Tilldelningskriterier", "en": "Award criteria"},
    "contract_clause": {"sv": "Särskilda kontraktsvillkor", "en": "Contract performance clauses"},
}
LEVEL_LABELS: dict[str, dict[str, str]] = {
    "bas": {"sv": "Bas", "en": "Basic"},
    "avancerad": {"sv": "Avancerad", "en": "Advanced"},
    "spjutspets": {"sv": "Spjutspets", "en": "Spearhead"},
}


CRITERION_REF = re.compile(r"(?P<id>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)(?::(?P<version>[1-9][0-9]*))?")


def parse_ref(text: str) -> tuple[str, int | None]:
    """``"VEH-CO2-01:2"`` → ``("VEH-CO2-01", 2)``; a bare id gives version ``None``.

    Anything else comes back as ``(text, None)`` so the lookup can say "unknown id" with its
    did-you-mean hint instead of a parse error.
    """
    match = CRITERION_REF.fullmatch(text.strip())
    if not match:
        return text, None
    version = match.group("version")
    return match.group("id"), int(version) if version else None


def check_level(level: str) -> str:
    """Return ``level`` if it is a level name, else raise a clear error."""
    if level not in LEVELS:
        raise UnknownLevelError(
            tr("unknown level {level!r}; expected one of {levels}",
               "okänd nivå {level!r}; ska vara en av {levels}",
               level=level, levels=", ".join(LEVELS)),
        )
    return level


class Text(dict[str, str]):
    """A text in several languages."""

    def get_lang(self, lang: str) -> str:
        return self.get(lang) or self.get("sv") or next(iter(self.values()), "")


def text_of(value: Mapping[str, str] | None) -> Text:
    return Text(value or {})


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    locator: str | None = None  # section, table, criterion number or page that says it
    checked: str | None = None  # YYYY-MM-DD: when someone verified the source says it


@dataclass(frozen=True)
class Category:
    """A purchase category; dotted ids form the hierarchy (``transport.school``)."""

    id: str
    name: Text
    keywords: Mapping[str, tuple[str, ...]]
    cpv: tuple[str, ...] = ()
    description: Text = field(default_factory=Text)
    cvd: str | None = None
    file: str | None = None

    @property
    def parent(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None

    @property
    def area(self) -> str:
        """The top-level area this category belongs to."""
        return self.id.split(".", 1)[0]

    def label(self, lang: str = "sv") -> str:
        return self.name.get_lang(lang)


@dataclass(frozen=True)
class AnswerRule:
    """How a supplier answers a criterion and when the answer meets it.

    Before selection, ``min``/``max``/dates may still be ``{placeholder}`` strings; after
    selection (:class:`SelectedCriterion`) they are filled with the level's params.
    """

    type: str
    unit: str | None = None
    min: Any = None
    max: Any = None
    choices: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    multiple: bool = False
    not_before: Any = None
    not_after: Any = None
    evidence: str = "optional"

    @property
    def evidence_required(self) -> bool:
        return self.evidence == "required"

    @property
    def accepted_choices(self) -> tuple[str, ...]:
        return self.accepted or self.choices


@dataclass(frozen=True)
class AwardStep:
    value: Any
    at_least: Any = None
    at_most: Any = None
    equals: str | None = None


@dataclass(frozen=True)
class AwardRule:
    """How an award criterion turns an answer into a price deduction or points."""

    method: str
    value: Any = None
    steps: tuple[AwardStep, ...] = ()


@dataclass(frozen=True)
class Parameter:
    """What a param means; ``confirm`` = no source gives the number, the buyer must set it."""

    name: str
    label: Text = field(default_factory=Text)
    unit: str | None = None
    confirm: bool = False
    set_by: str = "set"  # "buyer": filled in the spec, no value in the set's levels
    type: str = "number"  # number | text | date
    suggested: Any = None  # a default the buyer may take, when a source gives one
    source: Source | None = None  # where the number comes from (required with confirm: false)

    @property
    def buyer(self) -> bool:
        return self.set_by == "buyer"


@dataclass(frozen=True)
class LevelVariant:
    params: Mapping[str, Any] = field(default_factory=dict)
    text: Text | None = None


@dataclass(frozen=True)
class Supersession:
    """Why an old version of a criterion stays in the set: replaced ``by`` a version on ``date``."""

    by: int
    date: str
    note: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Criterion:
    id: str
    categories: tuple[str, ...]
    kind: str
    title: Text
    text: Text
    verification: Text
    follow_up: Text
    rationale: Text
    answer: AnswerRule
    levels: Mapping[str, LevelVariant]
    award: AwardRule | None = None
    eforms: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    file: str | None = None
    version: int = 1  # bumped when kind, level or threshold changes (as UHM's "10699:2")
    origin: str | None = None  # set@version#id:version when taken from another set
    superseded: Supersession | None = None  # set on old versions kept for specs that cite them

    @property
    def ref(self) -> str:
        """The id with its version, as specs and contracts cite it: ``TRN-FUEL-01:2``."""
        return f"{self.id}:{self.version}"

    @property
    def mandatory(self) -> bool:
        return self.kind in MANDATORY_KINDS

    def variant_for(self, level: str) -> str | None:
        """The highest level variant not above ``level`` (None: the criterion does not apply)."""
        rank = LEVELS.index(check_level(level))
        for candidate in reversed(LEVELS[: rank + 1]):
            if candidate in self.levels:
                return candidate
        return None


@dataclass(frozen=True)
class SelectedCriterion:
    """A criterion at one level with its params filled into text, answer and award rules."""

    criterion: Criterion
    level: str
    params: Mapping[str, Any]
    text: Text
    answer: AnswerRule
    award: AwardRule | None
    # buyer parameters this variant uses that the spec has not set yet: their {placeholders}
    # are still in the text, so no final annex can be written
    open_params: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def ref(self) -> str:
        return self.criterion.ref

    @property
    def kind(self) -> str:
        return self.criterion.kind

    @property
    def title(self) -> Text:
        return self.criterion.title

    @property
    def mandatory(self) -> bool:
        return self.criterion.mandatory


@dataclass
class CriteriaSet:
    """A named, versioned set of categories and criteria (the unit shared between municipalities)."""

    name: str
    version: str
    title: Text
    categories: dict[str, Category]
    criteria: dict[str, Criterion]
    languages: tuple[str, ...] = ("sv", "en")
    publisher: str | None = None
    license: str | None = None
    description: Text = field(default_factory=Text)
    sources: tuple[Source, ...] = ()
    path: str | None = None
    raw_header: Mapping[str, Any] = field(default_factory=dict)
    # old versions of criteria, kept so specs and contracts citing them still resolve;
    # never chosen for a new spec
    superseded: dict[tuple[str, int], Criterion] = field(default_factory=dict)
    format_version: int = 1  # 1: procure/criteria-set/v1, 2: the stricter v2 rules

    @property
    def ref(self) -> str:
        """``name@version``: how specs and reports cite the set."""
        return f"{self.name}@{self.version}"

    def category(self, category_id: str) -> Category:
        try:
            return self.categories[category_id]
        except KeyError:
            raise UnknownCategoryError(
                tr("unknown category {id!r}", "okänd kategori {id!r}", id=category_id),
                hint=tr("{guess}see `procure criteria categories` for the ids",
                        "{guess}se `procure criteria categories` för giltiga id",
                        guess=_did_you_mean(category_id, self.categories)),
            ) from None

    def criterion(self, criterion_id: str) -> Criterion:
        """The live criterion for ``"ID"``, or exactly version N for ``"ID:N"`` (old ones too)."""
        cid, version = parse_ref(criterion_id)
        live = self.criteria.get(cid)
        if version is None and live is not None:
            return live
        if version is not None:
            if live is not None and live.version == version:
                return live
            if (cid, version) in self.superseded:
                return self.superseded[(cid, version)]
            known = [c.ref for c in self.versions(cid)]
            if known:
                raise UnknownCriterionError(
                    tr("criterion {id} has no version {version}",
                       "kriteriet {id} har ingen version {version}", id=cid, version=version),
                    hint=tr("versions in {set}: {known}", "versioner i {set}: {known}",
                            set=self.ref, known=", ".join(known)))
        try:
            return self.criteria[cid]
        except KeyError:
            raise UnknownCriterionError(
                tr("unknown criterion id {id!r}", "okänt kriterie-id {id!r}", id=criterion_id),
                hint=tr("{guess}see `procure criteria list` for the ids",
                        "{guess}se `procure criteria list` för giltiga id",
                        guess=_did_you_mean(criterion_id, self.criteria)),
            ) from None

    def versions(self, criterion_id: str) -> list[Criterion]:
        """Every version of a criterion in the set, oldest first (the live one last)."""
        old = sorted((c for (cid, _), c in self.superseded.items() if cid == criterion_id),
                     key=lambda c: c.version)
        live = self.criteria.get(criterion_id)
        return [*old, live] if live is not None else old

    def ancestors(self, category_id: str) -> list[str]:
        """The category itself and its parents, nearest first."""
        self.category(category_id)
        chain = [category_id]
        while "." in chain[-1]:
            chain.append(chain[-1].rsplit(".", 1)[0])
        return chain

    def children(self, category_id: str | None) -> list[Category]:
        return [c for c in self.categories.values() if c.parent == category_id]

    def applies_to(self, criterion: Criterion, category_id: str) -> bool:
        """True when the criterion is attached to the category or one of its parents."""
        chain = set(self.ancestors(category_id))
        return any(c in chain for c in criterion.categories)

    def criteria_for(self, category_id: str) -> Iterator[Criterion]:
        for criterion in self.criteria.values():
            if self.applies_to(criterion, category_id):
                yield criterion


def _did_you_mean(wanted: object, known: Mapping[str, Any]) -> Msg | str:
    """"did you mean 'TRN-FUEL-01'? " for a near miss (case, a typo), else ""."""
    folded = {key.casefold(): key for key in known}
    close = difflib.get_close_matches(str(wanted).casefold(), list(folded), n=1, cutoff=0.8)
    if not close:
        return ""
    return tr("did you mean {id!r}? ", "menade du {id!r}? ", id=folded[close[0]])
