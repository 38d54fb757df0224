"""The apps import each other one way: a test reads every module's imports and fails on a
cycle inside an app, on an import between artists and orchestra, and on the base
(events, core) importing what is built on it.

The imports are read with ``ast``, not by importing: those inside functions count too,
as a function-level import is how a cycle is usually hidden. ``from package import name``
is an edge to the submodule ``package.name`` when there is one, else to the package's
``__init__`` (which defines or re-exports the name). Importing ``a.b.c`` runs ``a`` and
``a.b``'s ``__init__`` first, but that is no edge: an ``__init__`` that imports its
submodules is a cycle with them only when a submodule imports a name from the
``__init__`` back, and that import is an edge to the ``__init__``.
"""

import ast
import importlib.util
from itertools import pairwise
from pathlib import Path

import pytest

APPS = ("artists", "orchestra", "ticketing", "events", "core")

# (importing app, imported app): the base does not import what is built on it, and
# artists and orchestra never import each other (../shared/STYLE.md).
FORBIDDEN = {
    ("artists", "orchestra"),
    ("orchestra", "artists"),
    ("events", "artists"),
    ("events", "orchestra"),
    ("events", "ticketing"),
    ("core", "artists"),
    ("core", "orchestra"),
    ("core", "ticketing"),
    ("core", "events"),
}

# Imports the rules above refuse that may stay for now, each with why. This list only
# shrinks: an entry no longer needed fails the test too.
ALLOWED: set[tuple[str, str]] = set()


def modules_of(package: str) -> dict[str, Path]:
    """Return every module of an importable package (its own and its subpackages'),
    by dotted name; a package's name stands for its ``__init__``."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"no package {package}"
    root = Path(next(iter(spec.submodule_search_locations)))
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = (package, *path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """Return (imported module, line) for every import in a module, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                found.append((submodule if submodule in known else module, node.lineno))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.args[0].value, node.lineno))
    return found


def import_graph(packages) -> dict[str, dict[str, int]]:
    """Return, for every module of the packages, the modules it imports and the line
    of the first import of each (imports of other libraries included)."""
    modules = {}
    for package in packages:
        modules.update(modules_of(package))
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        edges = {}
        for target, line in imports_of(name, path, known):
            if target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def cycles_in(graph: dict[str, dict[str, int]], package: str) -> list[list[str]]:
    """Return one cycle (a list of modules, the first repeated at the end) for every
    group of the package's modules that import each other, directly or not."""
    inside = {name for name in graph if name == package or name.startswith(package + ".")}
    edges = {name: sorted(t for t in graph[name] if t in inside) for name in inside}
    # Tarjan's strongly connected components, iteratively.
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for start in sorted(inside):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for i in range(position, len(edges[node])):
                target = edges[node][i]
                if target not in index:
                    work += [(node, i + 1), (target, 0)]
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return [_one_cycle(edges, group) for group in groups]


def _one_cycle(edges: dict[str, list[str]], group: set[str]) -> list[str]:
    """Return the shortest cycle through the group's first module, by breadth first."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in edges[node]:
            if target == start:
                return [*paths[node], start]
            if target in group and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # a component always has one


def describe(graph, cycle: list[str]) -> str:
    """Return a cycle as text, with the line of each import in it."""
    steps = [f"{source} (line {graph[source][target]})" for source, target in pairwise(cycle)]
    return " -> ".join([*steps, cycle[-1]])


def forbidden_imports(graph) -> list[tuple[str, str, int]]:
    """Return (module, imported module, line) for every import FORBIDDEN refuses."""
    found = []
    for source, edges in sorted(graph.items()):
        for target, line in sorted(edges.items()):
            rule = (source.partition(".")[0], target.partition(".")[0])
            if rule in FORBIDDEN and (source, rule[1]) not in ALLOWED:
                found.append((source, target, line))
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(APPS)


@pytest.mark.parametrize("app", APPS)
def test_no_app_has_an_import_cycle(graph, app):
    cycles = cycles_in(graph, app)
    assert not cycles, "import cycles:\n" + "\n".join(describe(graph, c) for c in cycles)


def test_the_apps_import_each_other_one_way(graph):
    found = forbidden_imports(graph)
    assert not found, "imports across apps that must not be:\n" + "\n".join(
        f"{source} (line {line}) imports {target}" for source, target, line in found
    )


def test_the_allowed_exceptions_are_still_needed(graph):
    needed = {
        (source, target.partition(".")[0])
        for source, edges in graph.items()
        for target in edges
        if (source.partition(".")[0], target.partition(".")[0]) in FORBIDDEN
    }
    assert needed >= ALLOWED, f"no longer needed, remove from ALLOWED: {ALLOWED - needed}"


# The test can fail: the same reading of a fake package with cycles --------------------

FAKE = "kulturvest_fake_app"


def write(root: Path, path: str, text: str) -> None:
    file = root / FAKE / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")


def test_a_cycle_hidden_in_a_function_is_found(tmp_path, monkeypatch):
    write(tmp_path, "__init__.py", "")
    write(tmp_path, "models.py", f"from {FAKE}.selectors import visible\n")
    write(tmp_path, "selectors.py", f"def visible():\n    from {FAKE} import models\n")
    write(tmp_path, "views.py", "from .selectors import visible\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = import_graph([FAKE])
    [cycle] = cycles_in(graph, FAKE)

    assert cycle == [f"{FAKE}.models", f"{FAKE}.selectors", f"{FAKE}.models"]
    assert describe(graph, cycle) == (
        f"{FAKE}.models (line 1) -> {FAKE}.selectors (line 2) -> {FAKE}.models"
    )
    assert graph[f"{FAKE}.views"] == {f"{FAKE}.selectors": 1}


def test_a_package_init_is_a_cycle_only_with_a_submodule_that_imports_it_back(
    tmp_path, monkeypatch
):
    write(tmp_path, "__init__.py", "")
    write(
        tmp_path,
        "selectors/__init__.py",
        f"from {FAKE}.selectors.members import visible\nfrom {FAKE}.selectors.tours import led\n",
    )
    write(tmp_path, "selectors/members.py", "def visible():\n    pass\n")
    write(tmp_path, "selectors/tours.py", f"from {FAKE}.selectors.members import visible\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cycles_in(import_graph([FAKE]), FAKE) == []

    # A submodule that takes a name from the package's __init__ closes a cycle.
    write(tmp_path, "selectors/tours.py", f"from {FAKE}.selectors import visible\n")
    graph = import_graph([FAKE])
    assert cycles_in(graph, FAKE) == [
        [f"{FAKE}.selectors", f"{FAKE}.selectors.tours", f"{FAKE}.selectors"]
    ]


def test_an_import_between_apps_that_must_not_be_is_found(tmp_path, monkeypatch):
    write(tmp_path, "__init__.py", "")
    write(tmp_path, "views.py", "def page():\n    from orchestra.models import Member\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = import_graph([FAKE])
    # Read as if the fake package were the artists app.
    as_artists = {name.replace(FAKE, "artists", 1): edges for name, edges in graph.items()}
    assert forbidden_imports(as_artists) == [("artists.views", "orchestra.models", 2)]
