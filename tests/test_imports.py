"""Imports run one way: no module of the package imports, at load time, one that imports it back.

Two checks. The static one reads every module's load-time imports (those at
module level, outside `if TYPE_CHECKING:`) and fails on any cycle, naming it.
The dynamic one imports each module in a fresh interpreter state (every
`crowdseg_widget` module dropped from `sys.modules` first) and fails on the
ImportError a circle causes at run time.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

#: Read from the source tree: importing the package here would hide a circle behind an error.
PACKAGE = Path(__file__).resolve().parent.parent / "src" / "crowdseg_widget"


def module_files() -> dict[str, Path]:
    """Dotted name -> file of every module of the package (the bundle folder has none)."""
    found = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = ("crowdseg_widget", *file.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _load_time_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module loads (not in functions or TYPE_CHECKING)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node.test):
            found += _load_time_imports(node.body) + _load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                found += _load_time_imports(block)
    return found


def imported_modules(name: str, file: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports at load time."""
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _load_time_imports(ast.parse(file.read_text("utf-8")).body):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        targets.add(base)
        targets |= {f"{base}.{alias.name}" for alias in node.names}  # `from . import x`
    return {t for t in targets if t in known and t != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that starts and ends at the same module, or None."""
    state: dict[str, str] = {}  # "open" while on the DFS path, "done" after
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_passes_a_chain():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_reader_sees_load_time_imports_only(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nfrom .b import x\nfrom . import c\n"
        "if TYPE_CHECKING:\n    from .d import y\n"
        "def f():\n    from .e import z\n"
        "try:\n    import pkg.f\nexcept ImportError:\n    pass\n"
    )
    known = {f"pkg.{m}" for m in "abcdef"}
    assert imported_modules("pkg.a", source, known) == {"pkg.b", "pkg.c", "pkg.f"}


def test_no_module_imports_itself_back_at_load_time():
    files = module_files()
    graph = {name: imported_modules(name, file, set(files)) for name, file in files.items()}
    assert graph["crowdseg_widget.formats.sagemaker"] >= {"crowdseg_widget.annotation"}
    annotation_imports = graph["crowdseg_widget.annotation"]
    assert not any(n.startswith("crowdseg_widget.formats") for n in annotation_imports)
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


ISOLATED_IMPORTS = """
import importlib, json, sys
failures = {}
for name in json.loads(sys.argv[1]):
    for loaded in [m for m in sys.modules if m.split(".")[0] == "crowdseg_widget"]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] == "crowdseg_widget":
            failures[name] = repr(err)
    except ImportError as err:  # what a circle raises: "partially initialized module"
        failures[name] = repr(err)
print(json.dumps(failures))
"""


def test_every_module_imports_on_its_own():
    names = json.dumps(sorted(module_files()))
    result = subprocess.run(
        [sys.executable, "-c", ISOLATED_IMPORTS, names],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    assert json.loads(result.stdout) == {}


JUPYTER_LOADED = """
import sys
import crowdseg_widget
from crowdseg_widget import Annotation, LabelStore, export_coco, load_store
before = sorted(m for m in ("anywidget", "ipywidgets", "traitlets", "IPython") if m in sys.modules)
from crowdseg_widget import InstanceSegmentation, label_images
after = sorted(m for m in ("anywidget", "ipywidgets", "traitlets") if m in sys.modules)
print(before, after, InstanceSegmentation.__module__, label_images.__module__)
"""


def test_the_jupyter_stack_loads_only_with_the_widget_classes():
    result = subprocess.run(
        [sys.executable, "-c", JUPYTER_LOADED], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "[]", "['anywidget',", "'ipywidgets',", "'traitlets']",
        "crowdseg_widget.widget", "crowdseg_widget.datasets.labeler",
    ]  # fmt: skip


def test_every_public_name_is_listed_and_importable_and_others_are_not():
    import crowdseg_widget

    assert set(crowdseg_widget.__all__) <= set(dir(crowdseg_widget))
    for name in crowdseg_widget.__all__:
        assert getattr(crowdseg_widget, name) is not None
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchName'"):
        crowdseg_widget.NoSuchName  # noqa: B018


def documented_paths() -> set[str]:
    """Every `crowdseg_widget.a.b` and `from crowdseg_widget.a import b` in the README and docs."""
    root = PACKAGE.parent.parent
    found: set[str] = set()
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        text = doc.read_text("utf-8")
        found |= set(re.findall(r"\bcrowdseg_widget(?:\.\w+)+", text))
        for module, names in re.findall(r"from (crowdseg_widget[.\w]*) import ([\w, ]+)", text):
            found |= {f"{module}.{name.strip()}" for name in names.split(",") if name.strip()}
    return found


def test_every_path_the_readme_and_docs_show_can_be_imported():
    paths = documented_paths()
    assert "crowdseg_widget.safe_image.MAX_PIXELS" in paths  # the reader finds what is there
    for path in sorted(paths):
        module, _, name = path.rpartition(".")
        try:
            found = importlib.import_module(path)
        except ImportError:
            found = getattr(importlib.import_module(module), name, None)
        assert found is not None, f"{path} (shown in the docs) cannot be imported"
