"""Safe YAML reading that remembers where every value came from.

We compose the node tree and build plain Python values ourselves, so (1) no YAML tag can ever
construct a Python object — only the core tags are accepted — and (2) every value's line number
is kept, keyed by its path (``criteria[12].levels.bas``), so validation messages can point at the
line a user has to edit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from procure.errors import InputFileError
from procure.i18n import Msg, at_line, tr

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

LineMap = dict[str, int]

# libyaml's composer is ~10x faster; the pure-Python one gives the same nodes and marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def join_path(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else str(key)


def line_for(lines: LineMap, path: str) -> int | None:
    """The line of ``path`` or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("")


# what a file is called in Swedish: (indefinite, definite) — "en YAML-fil", "YAML-filen"
_WHAT_SV = {"file": ("fil", "filen"), "YAML file": ("YAML-fil", "YAML-filen")}


def read_text(path: Path, *, what: str = "file") -> str:
    """Read a UTF-8 text file (BOM tolerated) or raise one clear error."""
    a, the = _WHAT_SV.get(what, (what, what))
    if not path.exists():
        raise InputFileError(tr("{what} does not exist", "{the} finns inte", what=what, the=the),
                             file=path)
    if path.is_dir():
        raise InputFileError(tr("is a folder; expected a {what}", "är en mapp; ska vara en {a}",
                                what=what, a=a), file=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:  # no permission, a broken network drive
        raise InputFileError(tr("cannot be read: {error}", "kan inte läsas: {error}",
                                error=exc.strerror or exc), file=path) from None
    if raw.startswith(b"%PDF"):
        raise InputFileError(tr("is a PDF; expected a {what}", "är en PDF; ska vara en {a}",
                                what=what, a=a), file=path)
    if b"\x00" in raw[:4096]:
        raise InputFileError(tr("is a binary file; expected a {what}",
                                "är en binärfil; ska vara en {a}", what=what, a=a), file=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start:exc.start + 1]
        legacy = byte.decode("cp1252", errors="replace")
        known = legacy.isprintable() and legacy != "\ufffd"
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            tr("is not UTF-8 text (byte 0x{byte:02x} at position {pos}{looks})",
               "är inte UTF-8-text (byte 0x{byte:02x} på position {pos}{looks_sv})",
               byte=byte[0], pos=exc.start,
               looks=f", {legacy!r} in Windows-1252" if known else "",
               looks_sv=f", {legacy!r} i Windows-1252" if known else ""),
            file=path, location=at_line(line),
            hint=tr("save the file as UTF-8", "spara filen som UTF-8"),
        ) from None


# the commonest YAML problems (libyaml's and PyYAML's wording) in Swedish; others are shown
# as the parser words them
_YAML_PROBLEMS_SV = {
    "mapping values are not allowed in this context":
        "ett kolon (nyckel: värde) är inte tillåtet här; kontrollera indraget och citattecknen",
    "mapping values are not allowed here":
        "ett kolon (nyckel: värde) är inte tillåtet här; kontrollera indraget och citattecknen",
    "did not find expected key": "indraget stämmer inte med raderna ovanför",
    "could not find expected ':'": "hittade inte det kolon (:) som skulle komma",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken saknas?)",
    "found unexpected ':'": "oväntat kolon (:)",
    "did not find expected ',' or ']'": "en lista med [ saknar sitt avslutande ]",
    "did not find expected ',' or '}'": "en mappning med { saknar sitt avslutande }",
    "expected ',' or ']', but got '<stream end>'": "en lista med [ saknar sitt avslutande ]",
    "expected ',' or '}', but got '<stream end>'": "en mappning med { saknar sitt avslutande }",
    "found character that cannot start any token":
        "ett tecken (ofta ett tabbtecken) får inte inleda ett värde; dra in med mellanslag",
    "found character '\\t' that cannot start any token":
        "ett tabbtecken får inte inleda ett värde; dra in med mellanslag",
    "found undefined alias": "aliaset (*namn) är inte definierat",
    "did not find expected '-' indicator": "ett listelement (-) saknas eller är fel indraget",
    "second occurrence": "ankaret (&namn) förekommer en andra gång",
}


def _yaml_problem_sv(problem: str) -> str:
    if problem in _YAML_PROBLEMS_SV:
        return _YAML_PROBLEMS_SV[problem]
    for prefix, sv in (("expected <block end>", "indraget stämmer inte med raderna ovanför"),
                       ("found undefined alias", "aliaset (*namn) är inte definierat"),
                       ("found duplicate anchor", "ankaret (&namn) förekommer flera gånger")):
        if problem.startswith(prefix):
            return sv
    return problem


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Parse one YAML file safely; return the data and a path → line map."""
    text = read_text(path, what="YAML file")
    if not text.strip():
        raise InputFileError(tr("file is empty; expected a YAML mapping",
                                "filen är tom; ska innehålla en YAML-mappning (nyckel: värde)"),
                             file=path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        location = at_line(mark.line + 1, column=mark.column + 1) if mark else None
        raise InputFileError(
            tr("YAML syntax error: {problem}", "syntaxfel i YAML: {problem_sv}", problem=problem,
               problem_sv=_yaml_problem_sv(problem)),
            file=path, location=location,
        ) from None
    if node is None:
        raise InputFileError(tr("file holds no YAML document; expected a mapping",
                                "filen innehåller inget YAML-dokument; ska innehålla en "
                                "mappning (nyckel: värde)"), file=path)
    lines: LineMap = {}
    data = _Builder(path).build(node, "", lines)
    return data, lines


MAX_DEPTH = 100  # criteria nest about eight levels; deeper is a broken or hostile file
MAX_VALUES = 1_000_000  # aliases may repeat a node; this bounds what "billion laughs" expands to


class _Builder:
    """Builds plain values from nodes, refusing self-referring aliases and runaway expansion."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.ctor = yaml.SafeLoader("")  # only its scalar constructors are used
        self.active: set[int] = set()  # nodes being built: an alias back to one is a cycle
        self.count = 0

    def error(self, message: str | Msg, node: yaml.Node, path: str = "",
              hint: str | Msg | None = None) -> InputFileError:
        location = at_line(node.start_mark.line + 1, path or None)
        return InputFileError(message, file=self.file, location=location, hint=hint)

    def build(self, node: yaml.Node, path: str, lines: LineMap, depth: int = 0) -> Any:
        lines.setdefault(path, node.start_mark.line + 1)
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.error(tr("expands to more than {n:,} values",
                                "expanderar till fler än {n_sv} värden",
                                n=MAX_VALUES, n_sv=f"{MAX_VALUES:,}".replace(",", "\u00a0")),
                             node, path,
                             hint=tr("aliases (*name) repeat too much; write the values out",
                                     "alias (*namn) upprepar för mycket; skriv ut värdena"))
        if depth > MAX_DEPTH:
            raise self.error(tr("is nested deeper than {n} levels",
                                "är nästlad djupare än {n} nivåer", n=MAX_DEPTH), node)
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            _check_tag(node, None, path, self.file)
            try:
                value = self.ctor.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError) as exc:  # e.g. the date 2027-13-01
                raise self.error(tr("{value!r} cannot be read ({error})",
                                    "{value!r} kan inte läsas ({error})",
                                    value=node.value, error=exc), node, path,
                                 hint=tr("write a real date YYYY-MM-DD, or quote the value to "
                                         "keep it as text",
                                         "skriv ett riktigt datum ÅÅÅÅ-MM-DD, eller sätt värdet "
                                         "inom citattecken för att behålla det som text")
                                 ) from None
            return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value
        if id(node) in self.active:
            raise self.error(tr("an alias refers to the value that contains it",
                                "ett alias hänvisar till värdet som innehåller det"), node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                _check_tag(node, _SEQ_TAG, path, self.file)
                return [self.build(item, join_path(path, i), lines, depth + 1)
                        for i, item in enumerate(node.value)]
            return self._mapping(node, path, lines, depth)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: str, lines: LineMap, depth: int
                 ) -> dict[Any, Any]:
        _check_tag(node, _MAP_TAG, path, self.file)
        self.ctor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, path, {}, depth + 1)
            if isinstance(key, list | dict):
                raise self.error(tr("a mapping key must be a plain value",
                                    "en nyckel måste vara ett enkelt värde"), key_node)
            if key in result:
                raise self.error(tr("duplicate key {key!r}", "nyckeln {key!r} finns redan",
                                    key=key), key_node,
                                 hint=tr("each key may appear once in a mapping",
                                         "varje nyckel får bara förekomma en gång i en mappning"))
            child = join_path(path, str(key))
            lines.setdefault(child, key_node.start_mark.line + 1)
            result[key] = self.build(value_node, child, lines, depth + 1)
        return result


def _check_tag(node: yaml.Node, expected: str | None, path: str, file: Path) -> None:
    ok = node.tag == expected if expected else node.tag in _SCALAR_TAGS
    if not ok:
        raise InputFileError(
            tr("YAML tag {tag!r} is not allowed (only plain data is read)",
               "YAML-taggen {tag!r} är inte tillåten (bara vanliga data läses)", tag=node.tag),
            file=file,
            location=at_line(node.start_mark.line + 1, path or None),
            hint=tr("remove the tag", "ta bort taggen"),
        )
