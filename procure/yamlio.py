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


def read_text(path: Path, *, what: str = "file") -> str:
    """Read a UTF-8 text file (BOM tolerated) or raise one clear error."""
    if not path.exists():
        raise InputFileError(f"{what} does not exist", file=path)
    if path.is_dir():
        raise InputFileError(f"is a folder; expected a {what}", file=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:  # no permission, a broken network drive
        raise InputFileError(f"cannot be read: {exc.strerror or exc}", file=path) from None
    if raw.startswith(b"%PDF"):
        raise InputFileError(f"is a PDF; expected a {what}", file=path)
    if b"\x00" in raw[:4096]:
        raise InputFileError(f"is a binary file; expected a {what}", file=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start:exc.start + 1]
        legacy = byte.decode("cp1252", errors="replace")
        looks = f", {legacy!r} in Windows-1252" if legacy.isprintable() and legacy != "\ufffd" \
            else ""
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"is not UTF-8 text (byte 0x{byte[0]:02x} at position {exc.start}{looks})",
            file=path, location=f"line {line}",
            hint="save the file as UTF-8",
        ) from None


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Parse one YAML file safely; return the data and a path → line map."""
    text = read_text(path, what="YAML file")
    if not text.strip():
        raise InputFileError("file is empty; expected a YAML mapping", file=path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise InputFileError(
            f"YAML syntax error: {problem}", file=path, location=location
        ) from None
    if node is None:
        raise InputFileError("file holds no YAML document; expected a mapping", file=path)
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

    def error(self, message: str, node: yaml.Node, path: str = "", hint: str | None = None
              ) -> InputFileError:
        location = f"line {node.start_mark.line + 1}" + (f", {path}" if path else "")
        return InputFileError(message, file=self.file, location=location, hint=hint)

    def build(self, node: yaml.Node, path: str, lines: LineMap, depth: int = 0) -> Any:
        lines.setdefault(path, node.start_mark.line + 1)
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.error(f"expands to more than {MAX_VALUES:,} values", node, path,
                             hint="aliases (*name) repeat too much; write the values out")
        if depth > MAX_DEPTH:
            raise self.error(f"is nested deeper than {MAX_DEPTH} levels", node)
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            _check_tag(node, None, path, self.file)
            try:
                value = self.ctor.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError) as exc:  # e.g. the date 2027-13-01
                raise self.error(f"{node.value!r} cannot be read ({exc})", node, path,
                                 hint="write a real date YYYY-MM-DD, or quote the value to keep it as "
                                      "text") from None
            return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value
        if id(node) in self.active:
            raise self.error("an alias refers to the value that contains it", node, path)
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
                raise self.error("a mapping key must be a plain value", key_node)
            if key in result:
                raise self.error(f"duplicate key {key!r}", key_node,
                                 hint="each key may appear once in a mapping")
            child = join_path(path, str(key))
            lines.setdefault(child, key_node.start_mark.line + 1)
            result[key] = self.build(value_node, child, lines, depth + 1)
        return result


def _check_tag(node: yaml.Node, expected: str | None, path: str, file: Path) -> None:
    ok = node.tag == expected if expected else node.tag in _SCALAR_TAGS
    if not ok:
        raise InputFileError(
            f"YAML tag {node.tag!r} is not allowed (only plain data is read)",
            file=file,
            location=f"line {node.start_mark.line + 1}" + (f", {path}" if path else ""),
            hint="remove the tag",
        )
