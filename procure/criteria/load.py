"""Load a criteria set from a folder or a single YAML file, validating it on the way.

Validation has two passes, as frictionless does it: JSON Schema per file (structure, with the
path inside the file and its line), then semantic checks across files (ids unique, references
resolve, placeholders have params at every level, rules fit their kind, languages present).
All findings are collected; the set is only built when there are no errors.

The header's ``$schema`` names the format: ``procure/criteria-set/v1`` (the default, so sets
written before 2.0 keep loading) or ``v2``, which adds the stricter rules of
:mod:`procure.criteria.strict`. A newer format than this code knows is refused, not half-read.
Old versions of criteria live in ``superseded/*.yaml`` (a folder set) or under a top-level
``superseded:`` key (a one-file set) and are loaded into :attr:`CriteriaSet.superseded`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache as _once
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from procure.criteria import cache
from procure.criteria.semantic import check_semantics
from procure.criteria.strict import check_strict
from procure.errors import CriteriaSetError, InputFileError
from procure.findings import Report
from procure.i18n import Msg, tr
from procure.io.yamlio import LineMap, join_path, line_for, load_yaml
from procure.model import (
    AnswerRule,
    AwardRule,
    AwardStep,
    Category,
    CriteriaSet,
    Criterion,
    LevelVariant,
    Parameter,
    Source,
    Supersession,
    text_of,
)

HEADER_KEYS = ("name", "version", "title", "languages")
FORMAT_URI = "procure/criteria-set/v{n}"
FORMATS = (1, 2)  # the criteria-set formats this code reads
SUPERSEDED_DIR = "superseded"


@dataclass
class Item:
    """One category or criterion as written, with where it was written."""

    data: dict[str, Any]
    file: str
    path: str
    lines: LineMap

    def line(self, sub: str = "") -> int | None:
        return line_for(self.lines, join_path(self.path, sub) if sub else self.path)


@dataclass
class RawSet:
    header: dict[str, Any] = field(default_factory=dict)
    header_file: str | None = None
    header_lines: LineMap = field(default_factory=dict)
    categories: list[Item] = field(default_factory=list)
    criteria: list[Item] = field(default_factory=list)
    superseded: list[Item] = field(default_factory=list)
    format: int | None = 1  # None: a format this code cannot read (reported as an error)


@_once
def _schema() -> dict[str, Any]:
    text = resources.files("procure.schema").joinpath("criteria-set.schema.json").read_text("utf-8")
    return json.loads(text)


@_once
def _validators() -> tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator]:
    full = _schema()
    part = dict(full, required=[])
    return jsonschema.Draft202012Validator(full), jsonschema.Draft202012Validator(part)


def builtin_path() -> Path:
    """The built-in library: ``procure/_library`` in a wheel, ``criteria/`` in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_library"
    if (packaged / "set.yaml").exists():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "criteria"


def set_files(path: Path) -> list[Path]:
    """The YAML files making up the set at ``path`` (set.yaml first)."""
    if not path.exists():
        raise InputFileError(tr("path does not exist; expected a criteria folder or YAML file",
                                "sökvägen finns inte; ska vara en mapp med kriterier eller en "
                                "YAML-fil"), file=path)
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob("*.yaml") if p.is_file())
    files += sorted(p for p in path.glob("*.yml") if p.is_file())
    header = path / "set.yaml"
    if header not in files:
        raise InputFileError(
            tr("folder has no set.yaml; expected set.yaml with name, version, title, languages",
               "mappen har ingen set.yaml; den ska innehålla set.yaml med name, version, title, "
               "languages"),
            file=path,
        )
    files.remove(header)
    old = path / SUPERSEDED_DIR
    superseded = sorted(p for p in old.glob("*.y*ml") if p.is_file()) if old.is_dir() else []
    return [header, *files, *superseded]


def _is_superseded_file(file: Path) -> bool:
    return file.parent.name == SUPERSEDED_DIR


def format_of(value: Any) -> int | None:
    """The format number a header's ``$schema`` names (missing: 1); None if not ours."""
    if value is None:
        return 1
    match = re.fullmatch(r"procure/criteria-set/v([0-9]+)", str(value).strip())
    return int(match.group(1)) if match else None


def _check_format(header: dict[str, Any], file: str, lines: LineMap, report: Report
                  ) -> int | None:
    """The set's format, or None with one clear finding when this code cannot read it."""
    value = header.get("$schema")
    number = format_of(value)
    newest = FORMAT_URI.format(n=FORMATS[-1])
    if number in FORMATS:
        return number
    if number is not None and number > FORMATS[-1]:
        report.add("format-too-new", tr(
            "the set is written in format {found!r}, newer than this version of procure reads "
            "(up to {newest!r}); update procure to load it",
            "uppsättningen är skriven i formatet {found!r}, som är nyare än den här versionen "
            "av procure kan läsa (högst {newest!r}); uppdatera procure för att läsa in den",
            found=value, newest=newest), file=file, path="$schema",
            line=line_for(lines, "$schema"))
    else:
        report.add("format-unknown", tr(
            "$schema {found!r} is not a criteria-set format; expected {v1!r} or {newest!r}",
            "$schema {found!r} är inget format för kriterieuppsättningar; ska vara {v1!r} eller "
            "{newest!r}", found=value, v1=FORMAT_URI.format(n=1), newest=newest),
            file=file, path="$schema", line=line_for(lines, "$schema"))
    return None


def _schema_message(error: jsonschema.ValidationError) -> Msg:
    """The schema error in English (as jsonschema words it, a little plainer) and Swedish."""
    if error.validator == "required":
        en = error.message.replace("is a required property", "is missing (required)")
    elif error.validator == "additionalProperties":
        en = error.message
    elif error.validator == "anyOf":
        en = f"{error.instance!r} is not valid here; expected a number or a {{placeholder}}"
    elif error.validator == "propertyNames":
        en = f"{error.instance!r} is not an allowed name here: {error.message}"
    else:
        en = error.message
    return Msg(en, _schema_message_sv(error) or en)


_TYPES_SV = {"string": "text", "number": "ett tal", "integer": "ett heltal",
             "boolean": "true eller false", "array": "en lista", "object": "en mappning",
             "null": "tomt"}


def _schema_message_sv(error: jsonschema.ValidationError) -> str | None:
    """jsonschema's message in Swedish, for the validators the criteria schema uses."""
    kind, value, found = error.validator, error.validator_value, error.instance
    if kind == "required":
        name = error.message.removesuffix(" is a required property")
        return f"{name} saknas (obligatoriskt)"
    if kind == "additionalProperties":
        names = re.search(r"\((.*) (?:was|were) unexpected\)", error.message)
        if not names:
            return None
        plural = " were unexpected" in error.message
        return (f"fälten {names.group(1)} är inte tillåtna här" if plural
                else f"fältet {names.group(1)} är inte tillåtet här")
    if kind == "anyOf":
        number = any(isinstance(s, dict) and s.get("type") == "number" for s in value)
        what = "ett tal" if number else "ett datum ÅÅÅÅ-MM-DD"
        return f"{found!r} är inte giltigt här; ska vara {what} eller en {{platshållare}}"
    if kind == "propertyNames":
        return f"{found!r} är inte ett tillåtet namn här"
    if kind == "type":
        wanted = [value] if isinstance(value, str) else list(value)
        return (f"{found!r} har fel typ; ska vara "
                + " eller ".join(_TYPES_SV.get(t, t) for t in wanted))
    if kind == "enum":
        return f"{found!r} är inte ett av de tillåtna värdena: {', '.join(map(str, value))}"
    if kind == "const":
        return f"ska vara {value!r}"
    if kind in ("minLength", "minItems", "minProperties"):
        return (f"{found!r} får inte vara tomt" if value == 1
                else f"{found!r} är för kort (minst {value})")
    if kind == "pattern":
        return f"{found!r} har fel form (ska matcha {value!r})"
    if kind == "uniqueItems":
        return f"{found!r} innehåller dubbletter"
    return None


def _schema_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path = join_path(path, part)
    return path


def read_raw(path: Path, report: Report) -> RawSet:
    """Read every file of a set, schema-checking each; problems go into ``report``."""
    raw = RawSet()
    files = set_files(path)
    full, part = _validators()
    for index, file in enumerate(files):
        name = str(file)
        try:
            data, lines = load_yaml(file)
        except InputFileError as exc:
            message = tr("{message} ({hint})", "{message} ({hint})", message=exc.message,
                         hint=exc.hint) if exc.hint else exc.message
            report.add("yaml-error", message, file=name, line=_line_of(exc.location))
            continue
        if not isinstance(data, dict):
            kind = type(data).__name__
            report.add("not-a-mapping", tr(
                "top level is a {kind}; expected a mapping with name/version or "
                "categories/criteria",
                "översta nivån är {kind_sv}; ska vara en mappning med name/version eller "
                "categories/criteria", kind=kind,
                kind_sv=_TYPES_SV.get({"list": "array", "str": "string", "int": "integer",
                                       "float": "number", "bool": "boolean"}.get(kind, kind),
                                      kind)), file=name, line=1)
            continue
        is_header = index == 0
        if is_header:
            raw.format = _check_format(data, name, lines, report)
            if raw.format is None:
                return raw  # rules of an unknown format cannot be checked; one finding is enough
        allowed = ({SUPERSEDED_DIR} if _is_superseded_file(file) and not is_header
                   else {"categories", "criteria"})
        if not is_header:
            stray = sorted(set(data) - allowed)
            if stray:
                report.add("unexpected-key", tr(
                    "unexpected top-level key(s) {keys}; only set.yaml holds the header, other "
                    "files hold {allowed}",
                    "oväntade nycklar på översta nivån: {keys}; bara set.yaml har huvudet (name, "
                    "version …), övriga filer har {allowed}",
                    keys=", ".join(map(str, stray)), allowed="/".join(sorted(allowed))),
                    file=name, line=line_for(lines, stray[0]))
                data = {k: v for k, v in data.items() if k in allowed}
        validator = full if is_header else part
        bad_items: set[tuple[str, int]] = set()
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            where = _schema_path(error)
            report.add("schema", _schema_message(error), file=name, path=where or None,
                       line=line_for(lines, where))
            parts = list(error.absolute_path)
            if len(parts) >= 2 and parts[0] in ("categories", "criteria", SUPERSEDED_DIR):
                bad_items.add((parts[0], parts[1]))
        if is_header:
            raw.header = {k: v for k, v in data.items()
                          if k not in ("categories", "criteria", SUPERSEDED_DIR)}
            raw.header_file, raw.header_lines = name, lines
        for key, target in (("categories", raw.categories), ("criteria", raw.criteria),
                            (SUPERSEDED_DIR, raw.superseded)):
            items = data.get(key)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if isinstance(item, dict) and (key, i) not in bad_items:
                    target.append(Item(item, name, join_path(key, i), lines))
    return raw


def _line_of(location: str | Msg | None) -> int | None:
    if isinstance(location, Msg):
        location = location.render("en")
    if location and location.startswith("line "):
        digits = location[5:].split(",")[0]
        return int(digits) if digits.isdigit() else None
    return None


def validate_path(path: str | Path) -> Report:
    """Validate the set at ``path`` and return every finding (never raises for bad content)."""
    return validate_raw(path)[1]


def validate_raw(path: str | Path) -> tuple[RawSet, Report]:
    """:func:`validate_path`, also returning the set as read (sharing needs both, once)."""
    path = Path(path)
    report = Report(source=str(path))
    raw = read_raw(path, report)
    if raw.format is not None and (raw.header_file is not None or raw.categories
                                   or raw.criteria):
        _check_content(raw, report)
    return raw, report


def _check_content(raw: RawSet, report: Report) -> None:
    """The semantic checks, and for a v2 set the stricter rules on top."""
    check_semantics(raw, report)
    if (raw.format or 1) >= 2:
        check_strict(raw, report)


def load_criteria_set(path: str | Path | None = None) -> CriteriaSet:
    """Load and validate a set; ``None`` loads the built-in library.

    Raises :class:`CriteriaSetError` (with the full report) when the set has errors.
    """
    path = builtin_path() if path is None else Path(path)
    key = cache.key_of(path, set_files(path))
    kept = cache.read(key)
    if kept is not None:
        return kept
    report = Report(source=str(path))
    raw = read_raw(path, report)
    if raw.format is not None:
        _check_content(raw, report)
    if not report.valid:
        first = report.errors[0]
        more = len(report.errors) - 1
        suffix = tr(" (and {more} more; run `procure criteria validate {path}`)",
                    " (och {more} till; kör `procure criteria validate {path}`)",
                    more=more, path=path) if more else ""
        raise CriteriaSetError(tr("invalid criteria set: {first}{suffix}",
                                  "ogiltig kriterieuppsättning: {first}{suffix}",
                                  first=first, suffix=suffix), report=report)
    built = build_set(raw, path)
    cache.write(key, built)
    return built


def build_set(raw: RawSet, path: Path) -> CriteriaSet:
    """Turn validated raw data into the immutable model."""
    header = raw.header
    categories = {item.data["id"]: _category(item) for item in raw.categories}
    criteria = {item.data["id"]: _criterion(item) for item in raw.criteria}
    old = (_criterion(item) for item in raw.superseded)
    return CriteriaSet(
        name=header["name"],
        version=str(header["version"]),
        title=text_of(header.get("title")),
        categories=categories,
        criteria=criteria,
        languages=tuple(header.get("languages", ("sv", "en"))),
        publisher=header.get("publisher"),
        license=header.get("license"),
        description=text_of(header.get("description")),
        sources=tuple(_source(s) for s in header.get("sources", [])),
        path=str(path),
        raw_header=header,
        superseded={(c.id, c.version): c for c in old},
        format_version=raw.format or 1,
    )


def _category(item: Item) -> Category:
    d = item.data
    return Category(
        id=d["id"],
        name=text_of(d["name"]),
        keywords={lang: tuple(words) for lang, words in (d.get("keywords") or {}).items()},
        cpv=tuple(d.get("cpv") or ()),
        description=text_of(d.get("description")),
        cvd=d.get("cvd"),
        file=item.file,
    )


def answer_rule(d: dict[str, Any]) -> AnswerRule:
    return AnswerRule(
        type=d["type"],
        unit=d.get("unit"),
        min=d.get("min"),
        max=d.get("max"),
        choices=tuple(d.get("choices") or ()),
        accepted=tuple(d.get("accepted") or ()),
        multiple=bool(d.get("multiple", False)),
        not_before=d.get("not_before"),
        not_after=d.get("not_after"),
        evidence=d.get("evidence", "optional"),
    )


def award_rule(d: dict[str, Any] | None) -> AwardRule | None:
    if not d:
        return None
    steps = tuple(
        AwardStep(s["value"], s.get("at_least"), s.get("at_most"), s.get("equals"))
        for s in d.get("steps") or ()
    )
    return AwardRule(method=d["method"], value=d.get("value"), steps=steps)


def _criterion(item: Item) -> Criterion:
    d = item.data
    levels = {
        name: LevelVariant(
            params=dict((v or {}).get("params") or {}),
            text=text_of(v["text"]) if v and v.get("text") else None,
        )
        for name, v in d["levels"].items()
    }
    parameters = {
        name: Parameter(name, text_of(p.get("label")), p.get("unit"), bool(p.get("confirm")),
                        set_by=p.get("set_by", "set"), type=p.get("type", "number"),
                        suggested=p.get("suggested"),
                        source=_source(p["source"]) if p.get("source") else None)
        for name, p in (d.get("parameters") or {}).items()
    }
    return Criterion(
        id=d["id"],
        categories=tuple(d["categories"]),
        kind=d["kind"],
        title=text_of(d["title"]),
        text=text_of(d["text"]),
        verification=text_of(d["verification"]),
        follow_up=text_of(d["follow_up"]),
        rationale=text_of(d.get("rationale")),
        answer=answer_rule(d["answer"]),
        levels=levels,
        award=award_rule(d.get("award")),
        eforms=dict(d.get("eforms") or {}),
        sources=tuple(_source(s) for s in d.get("sources", [])),
        parameters=parameters,
        file=item.file,
        version=int(d.get("version", 1)),
        origin=d.get("origin"),
        superseded=_supersession(d.get("superseded")),
    )


def _supersession(d: dict[str, Any] | None) -> Supersession | None:
    if not d:
        return None
    return Supersession(by=int(d["by"]), date=str(d["date"]), note=text_of(d.get("note")))


def _source(d: dict[str, Any]) -> Source:
    checked = d.get("checked")
    return Source(d["title"], d.get("url"), d.get("locator"),
                  str(checked) if checked is not None else None)
