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
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start})",
            file=path,
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
    constructor = yaml.SafeLoader("")  # only its scalar constructors are used
    data = _build(node, "", lines, constructor, path)
    return data, lines


def _build(node: yaml.Node, path: str, lines: LineMap, ctor: yaml.SafeLoader, file: Path) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        _check_tag(node, _MAP_TAG, path, file)
        ctor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, path, {}, ctor, file)
            if isinstance(key, list | dict):
                raise InputFileError(
                    "a mapping key must be a plain value", file=file,
                    location=f"line {key_node.start_mark.line + 1}",
                )
            if key in result:
                raise InputFileError(
                    f"duplicate key {key!r}", file=file,
                    location=f"line {key_node.start_mark.line + 1}",
                    hint="each key may appear once in a mapping",
                )
            child = join_path(path, str(key))
            lines.setdefault(child, key_node.start_mark.line + 1)
            result[key] = _build(value_node, child, lines, ctor, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, _SEQ_TAG, path, file)
        return [_build(item, join_path(path, i), lines, ctor, file) for i, item in enumerate(node.value)]
    _check_tag(node, None, path, file)
    value = ctor.construct_object(node, deep=True)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _check_tag(node: yaml.Node, expected: str | None, path: str, file: Path) -> None:
    ok = node.tag == expected if expected else node.tag in _SCALAR_TAGS
    if not ok:
        raise InputFileError(
            f"YAML tag {node.tag!r} is not allowed (only plain data is read)",
            file=file,
            location=f"line {node.start_mark.line + 1}" + (f", {path}" if path else ""),
            hint="remove the tag",
        )
