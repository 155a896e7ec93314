"""Write docs/api.md, the API reference, from the public names' docstrings and signatures.

    .venv/bin/python scripts/api_docs.py           # rewrite docs/api.md
    .venv/bin/python scripts/api_docs.py --check   # exit 1 if docs/api.md is out of date

Public names are the `__all__` of each package in `PACKAGES`; a package that is
not importable yet (or has no `__all__`) is left out. Names are read with
`getattr`, so lazily loaded ones (the widget classes) load as users see them.
For a class: its constructor, then the public methods, properties and traits
defined in the class itself (inherited ones are documented on the base).
Constants are documented by the `#:` comment above their assignment.
`tests/test_docs.py` fails when docs/api.md differs from what this writes.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pprint
import re
import sys
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
API_MD = ROOT / "docs" / "api.md"
#: Packages whose `__all__` is public API, in the order they are documented.
PACKAGES = (
    "crowdseg_widget",
    "crowdseg_widget.assist",
    "crowdseg_widget.cleanup",
    "crowdseg_widget.groundtruth",
)
_SIGNATURE_WIDTH = 88
#: What api.md shows for a name without a docstring (tests/test_docs.py refuses
#: it for the names in `__all__`).
NO_DOC = "*No docstring.*"
#: traitlets classes -> the Python type a user assigns.
_TRAIT_TYPES = {
    "Unicode": "str", "Int": "int", "Float": "float", "Bool": "bool",
    "Dict": "dict", "List": "list", "Bytes": "bytes", "Labels": "list[str]",
}  # fmt: skip
_SECTION = re.compile(
    r"^(Args|Arguments|Parameters|Returns|Raises|Errors|Yields|Example|Examples):?\s*$"
)

HEADER = """# API reference

Every public name of the package: its signature, parameters and errors, and
for classes their public methods and properties. Generated from the
docstrings by `scripts/api_docs.py`; do not edit it by hand. After changing a
public name, its signature or its docstring, run
`.venv/bin/python scripts/api_docs.py` (`tests/test_docs.py` fails until you
do). The guides (README's list) show how the names fit together; every bad
input and the error it gets (type and message) is tabled in
[hardening.md](hardening.md).
"""


@dataclass(frozen=True)
class Entry:
    """One public name: where it is exported and the object behind it."""

    package: str
    name: str
    obj: Any

    @property
    def qualified(self) -> str:
        return f"{self.package}.{self.name}"


class _Raw:
    """An annotation written as text (postponed evaluation), shown without quotes."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


# ---------------------------------------------------------------- collecting


def public_packages(packages: Sequence[str] = PACKAGES) -> Iterator[ModuleType]:
    """Each of `packages` that can be imported and declares `__all__`."""
    for name in packages:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:
                continue  # not written yet
            raise
        if isinstance(getattr(module, "__all__", None), (list, tuple)):
            yield module


def entries(packages: Sequence[str] = PACKAGES) -> list[Entry]:
    """Every public name of every public package, in `__all__` order."""
    return [
        Entry(module.__name__, name, getattr(module, name))
        for module in public_packages(packages)
        for name in module.__all__
    ]


def _comment_docs(path: Path) -> dict[str, str]:
    """Module-level `NAME = ...` and class-level `name = ...` -> the `#:` lines above them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    docs: dict[str, str] = {}
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        comment: list[str] = []
        row = node.lineno - 2
        while row >= 0 and lines[row].strip().startswith("#:"):
            comment.insert(0, lines[row].strip()[2:].strip())
            row -= 1
        for target in targets:
            if isinstance(target, ast.Name) and comment:
                docs.setdefault(target.id, " ".join(comment))
    return docs


def comment_doc(name: str, files: Iterable[Path]) -> str:
    """The `#:` comment of constant or trait `name` in the first of `files` that has one."""
    for path in files:
        doc = _comment_docs(path).get(name)
        if doc:
            return doc
    return ""


def _package_files(package: str) -> list[Path]:
    """The package's `__init__.py`, then every module under it (a constant's home)."""
    init = Path(str(sys.modules[package].__file__))
    return [init, *sorted(init.parent.rglob("*.py"))]


def docstring(entry: Entry) -> str:
    """The name's own docstring (never one inherited from a builtin type)."""
    obj = entry.obj
    if inspect.isclass(obj) or inspect.isroutine(obj):
        return inspect.cleandoc(obj.__doc__) if obj.__doc__ else ""
    return comment_doc(entry.name, _package_files(entry.package))


def undocumented(packages: Sequence[str] = PACKAGES) -> list[str]:
    """Qualified names of public names without a docstring (or `#:` comment)."""
    return [e.qualified for e in entries(packages) if not docstring(e).strip()]


def undocumented_members(packages: Sequence[str] = PACKAGES) -> list[str]:
    """Public methods and properties of public classes that have no docstring."""
    missing = []
    for entry in entries(packages):
        if inspect.isclass(entry.obj):
            for name, member in _members(entry.obj):
                function = member.fget if isinstance(member, property) else member
                if not getattr(function, "__doc__", None):
                    missing.append(f"{entry.qualified}.{name}")
    return missing


# ---------------------------------------------------------------- rendering


def _plain(annotation: Any) -> Any:
    return _Raw(annotation) if isinstance(annotation, str) else annotation


def signature_text(
    name: str, function: Any, *, drop_first: bool = False, constructor: bool = False
) -> str:
    """`name(params) -> return`, one parameter per line when it is long."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return f"{name}(...)"
    parameters = [p.replace(annotation=_plain(p.annotation)) for p in signature.parameters.values()]
    if drop_first and parameters:
        parameters = parameters[1:]
    returns = inspect.Signature.empty if constructor else _plain(signature.return_annotation)
    shown = signature.replace(parameters=parameters, return_annotation=returns)
    text = f"{name}{shown}"
    if len(text) <= _SIGNATURE_WIDTH:
        return text
    returns = shown.return_annotation
    tail = "" if returns is inspect.Signature.empty else f" -> {returns!r}"
    inner = str(shown.replace(return_annotation=inspect.Signature.empty))[1:-1]
    return f"{name}(\n" + "".join(f"    {p},\n" for p in _split_parameters(inner)) + f"){tail}"


def _split_parameters(text: str) -> list[str]:
    """Split 'a: int, b: dict[str, int] = {}' at top-level commas."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def parameter_rows(function: Any, *, drop_first: bool = False) -> list[str]:
    """A Markdown table of the parameters: name, type, default."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return []
    if drop_first:
        parameters = parameters[1:]
    if not parameters:
        return []
    rows = ["| parameter | type | default |", "|---|---|---|"]
    for p in parameters:
        prefix = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        kind = " (keyword only)" if p.kind is p.KEYWORD_ONLY else ""
        annotation = "" if p.annotation is p.empty else _cell(_annotation_text(p.annotation))
        default = "required" if p.default is p.empty else _cell(repr(p.default))
        if prefix:
            default = ""
        rows.append(f"| `{prefix}{p.name}`{kind} | {annotation} | {default} |")
    return rows


def _annotation_text(annotation: Any) -> str:
    """'np.ndarray' for a postponed annotation, 'int' for the type int."""
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def _cell(text: str) -> str:
    return f"`{text}`".replace("|", "\\|") if text else ""


def _escape_html(line: str) -> str:
    """`<` outside code spans as an entity: Markdown would take `<crowd-...>` for HTML."""
    parts = line.split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("<", "&lt;")
    return "`".join(parts)


def doc_body(text: str) -> list[str]:
    """A docstring as Markdown: its sections (Raises:, ...) become bold headings."""
    out: list[str] = []
    for line in text.splitlines():
        match = _SECTION.match(line.strip())
        if match and not line.startswith(" "):
            out += [f"**{match.group(1)}**", ""]
        elif re.fullmatch(r"-{3,}", line.strip()):
            continue  # numpy-style underline of a section heading
        elif line.startswith("    "):
            out.append(line)  # an indented literal block: Markdown shows it as code
        else:
            out.append(_escape_html(line.replace("::", ":")))
    return out


def _code(text: str) -> list[str]:
    return ["```python", text, "```"]


def _members(cls: type) -> Iterator[tuple[str, Any]]:
    """Public methods and properties defined in `cls` itself, in source order."""
    for name, member in cls.__dict__.items():
        if name.startswith("_"):
            continue
        if isinstance(member, (classmethod, staticmethod, property)) or inspect.isfunction(member):
            yield name, member


def _traits(cls: type) -> list[tuple[str, Any]]:
    """Public traitlets declared in `cls` itself (synced with the browser)."""
    try:
        from traitlets import TraitType
    except ImportError:
        return []
    return [
        (name, member)
        for name, member in cls.__dict__.items()
        if not name.startswith("_") and isinstance(member, TraitType)
    ]


def _property_lines(cls: type, name: str, member: property) -> list[str]:
    getter = member.fget
    head = f"{cls.__name__}.{name}"
    returns = inspect.signature(getter).return_annotation if getter else inspect.Signature.empty
    if returns is not inspect.Signature.empty:
        head += f" -> {_plain(returns)!r}"
    settable = ", settable" if member.fset is not None else ""
    doc = inspect.cleandoc(getter.__doc__) if getter and getter.__doc__ else NO_DOC
    return [
        f"#### `{head.split(' ')[0]}` (property{settable})",
        "",
        *_code(head),
        "",
        *doc_body(doc),
        "",
    ]


def _routine_lines(heading: str, name: str, function: Any, *, drop_first: bool) -> list[str]:
    """A function or method: heading, signature, docstring, parameter table."""
    doc = inspect.cleandoc(function.__doc__) if function.__doc__ else NO_DOC
    return [
        heading,
        "",
        *_code(signature_text(name, function, drop_first=drop_first)),
        "",
        *doc_body(doc),
        "",
        *_with_blank(parameter_rows(function, drop_first=drop_first)),
    ]


def _member_lines(cls: type, name: str, member: Any) -> list[str]:
    if isinstance(member, property):
        return _property_lines(cls, name, member)
    function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
    how = {classmethod: "classmethod", staticmethod: "staticmethod"}.get(type(member), "method")
    qualified = f"{cls.__name__}.{name}"
    heading = f"#### `{qualified}` ({how})"
    return _routine_lines(heading, qualified, function, drop_first=how != "staticmethod")


def _with_blank(rows: list[str]) -> list[str]:
    return [*rows, ""] if rows else []


def _trait_table(cls: type) -> list[str]:
    traits = _traits(cls)
    if not traits:
        return []
    rows = [
        f"#### `{cls.__name__}` traits",
        "",
        "| trait | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, trait in traits:
        default = trait.default_value
        shown = "" if type(default).__name__ == "Sentinel" else _cell(repr(default))
        meaning = comment_doc(name, [Path(inspect.getfile(cls))]).replace("|", "\\|")
        kind = _TRAIT_TYPES.get(type(trait).__name__, type(trait).__name__)
        rows.append(f"| `{name}` | `{kind}` | {shown} | {meaning} |")
    return [*rows, ""]


def _qualified(cls: type) -> str:
    """`Exception`, `anywidget.widget.AnyWidget`: builtins need no module."""
    return (
        cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    )


def _class_lines(entry: Entry) -> list[str]:
    cls = entry.obj
    bases = [b for b in cls.__bases__ if b is not object]
    base_text = ", ".join(f"`{_qualified(b)}`" for b in bases)
    init = cls.__dict__.get("__init__")
    lines = [f"### `{entry.name}` (class)", ""]
    if init is not None:
        lines += _code(signature_text(entry.name, init, drop_first=True, constructor=True))
        lines.append("")
    if base_text:
        lines += [f"Bases: {base_text}.", ""]
    lines += [*doc_body(docstring(entry) or NO_DOC), ""]
    if init is not None:
        lines += _with_blank(parameter_rows(init, drop_first=True))
    lines += _trait_table(cls)
    for name, member in _members(cls):
        lines += _member_lines(cls, name, member)
    return lines


def _entry_lines(entry: Entry) -> list[str]:
    obj = entry.obj
    if inspect.isclass(obj):
        return _class_lines(entry)
    if inspect.isroutine(obj):
        heading = f"### `{entry.name}` (function)"
        return _routine_lines(heading, entry.name, obj, drop_first=False)
    shown = pprint.pformat(obj, width=_SIGNATURE_WIDTH - len(entry.name) - 3, compact=True)
    shown = shown.replace("\n", "\n" + " " * (len(entry.name) + 3))
    return [
        f"### `{entry.name}` ({kind(obj)})",
        "",
        *_code(f"{entry.name} = {shown}"),
        "",
        *doc_body(docstring(entry) or NO_DOC),
        "",
    ]


def kind(obj: Any) -> str:
    """'class', 'function', 'type alias' or 'constant': how a public name is documented."""
    if inspect.isclass(obj):
        return "class"
    if inspect.isroutine(obj):
        return "function"
    return "type alias" if typing.get_origin(obj) is not None else "constant"


def _summary(entry: Entry) -> str:
    first = docstring(entry).strip().split("\n\n")[0].replace("\n", " ")
    return _escape_html(first).replace("|", "\\|")


def render(packages: Sequence[str] = PACKAGES) -> str:
    """The whole of docs/api.md."""
    lines = [HEADER]
    for module in public_packages(packages):
        lines += [f"## `{module.__name__}`", ""]
        if module.__doc__:
            lines += [*doc_body(inspect.cleandoc(module.__doc__)), ""]
        lines += ["| name | summary |", "|---|---|"]
        group = [Entry(module.__name__, n, getattr(module, n)) for n in module.__all__]
        lines += [f"| [`{e.name}`](#{_anchor(e)}) | {_summary(e)} |" for e in group]
        lines.append("")
        for entry in group:
            lines += _entry_lines(entry)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def _anchor(entry: Entry) -> str:
    """GitHub's anchor for the entry's heading, e.g. `annotation-class`."""
    heading = f"{entry.name} ({kind(entry.obj)})".lower()
    return re.sub(r"[^a-z0-9_\- ]", "", heading).replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = API_MD.read_text(encoding="utf-8") if API_MD.exists() else ""
        if current != text:
            print(f"{API_MD} is out of date: run scripts/api_docs.py", file=sys.stderr)
            return 1
        return 0
    API_MD.write_text(text, encoding="utf-8")
    print(f"wrote {API_MD.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
