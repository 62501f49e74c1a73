"""The package's layers: cli and web call the job packages, which stand on io/model/errors/i18n.

Nothing imports upward and no two modules import each other, at module level or inside a
function: a cycle that only runs later is still a cycle a reader has to untangle. Imports under
``if TYPE_CHECKING:`` are annotations only and never run, so they are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import procure

ROOT = Path(procure.__file__).resolve().parent

# lower number = lower layer; a module may import its own layer or lower ones
LAYERS = {
    "i18n": 0, "errors": 0, "findings": 0, "model": 0, "io": 0, "schema": 0,
    "criteria": 1, "matching": 1, "tender": 1,
    "answers": 2, "register": 2,
    "reports": 3,
    "cli": 4, "web": 4,
    "__init__": 5, "__main__": 5,
}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those inside an ``if TYPE_CHECKING:`` block."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = ["procure", *rel.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("procure"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("procure."))
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS["__init__"] if len(parts) == 1 else LAYERS[parts[1]]


def test_every_top_level_part_has_a_layer() -> None:
    names = {p.stem if p.is_file() else p.name for p in ROOT.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").exists())}
    assert names <= set(LAYERS), names - set(LAYERS)


def test_nothing_imports_upward() -> None:
    upward = [(src, dst) for src, dsts in _imports().items() for dst in dsts
              if _layer(dst) > _layer(src) and dst != "procure"]
    assert upward == []


def test_library_never_imports_click_or_the_web_framework() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        name = _module_name(path)
        if name.split(".")[1:2] in (["cli"], ["web"]) or name == "procure.__main__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            offenders += [(name, m) for m in mods
                          if m.split(".")[0] in {"click", "starlette", "fastapi", "uvicorn"}]
    assert offenders == []


def test_no_import_cycles() -> None:
    graph = _imports()
    # the package __init__ re-exports the public API; it is the top, not part of a cycle
    graph = {k: {d for d in v if d != "procure"} for k, v in graph.items() if k != "procure"}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []
