"""The repository explains itself: docs/api.md is current, public names are documented,
and nothing points at files that live outside the repository."""

from __future__ import annotations

import difflib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "api_docs.py"
#: Where a reference to a file outside the repository must never appear.
SEARCHED = ["src", "js", "tests", "docs", "notebooks", "bench", "scripts", "README.md"]
#: The reference notes the project was started from, and the folder they were in.
#: Spelled in pieces so that this file does not match itself.
OUTSIDE = "|".join(
    [
        "DESIGN" + r"\.md",
        "TESTING" + r"\.md",
        r"\.\./" + "shared",
        r"\bDESIGN" + " §",
    ]
)


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["api_docs"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def api_docs() -> ModuleType:
    return _load_script()


def test_api_md_is_what_the_script_writes_now(api_docs: ModuleType) -> None:
    written = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    generated = api_docs.render()
    if written != generated:
        diff = "".join(
            list(
                difflib.unified_diff(
                    written.splitlines(keepends=True),
                    generated.splitlines(keepends=True),
                    "docs/api.md",
                    "scripts/api_docs.py",
                )
            )[:40]
        )
        pytest.fail(
            f"docs/api.md is out of date: run `.venv/bin/python scripts/api_docs.py`\n{diff}"
        )


def test_every_public_name_has_a_docstring(api_docs: ModuleType) -> None:
    assert api_docs.undocumented() == []


def test_api_md_has_a_section_for_every_public_name(api_docs: ModuleType) -> None:
    text = api_docs.render()
    entries = api_docs.entries()
    assert {"Annotation", "InstanceSegmentation", "GROUND_TRUTH_COLORS"} <= {
        e.name for e in entries
    }
    for entry in entries:
        heading = f"### `{entry.name}` ({api_docs.kind(entry.obj)})"
        assert heading in text, f"{entry.qualified} has no section in docs/api.md"


def test_a_missing_docstring_and_a_documented_constant_are_told_apart(
    api_docs: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "docs_probe"
    package.mkdir()
    (package / "__init__.py").write_text(
        '"""A probe package."""\n'
        "#: How many probes there are.\n"
        "PROBE_COUNT = 3\n"
        "PROBE_LIMIT = 7\n"
        "def told() -> int:\n"
        '    """Says what it does."""\n'
        "    return 1\n"
        "def silent(x: int, *, y: str = 'a') -> int:\n"
        "    return x\n"
        '__all__ = ["PROBE_COUNT", "PROBE_LIMIT", "told", "silent"]\n',
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert api_docs.undocumented(["docs_probe", "docs_probe_not_written_yet"]) == [
        "docs_probe.PROBE_LIMIT",
        "docs_probe.silent",
    ]
    text = api_docs.render(["docs_probe"])
    assert "How many probes there are." in text
    assert "silent(x: int, *, y: str = 'a') -> int" in text
    assert "| `y` (keyword only) | `str` | `'a'` |" in text


def test_nothing_points_at_files_outside_the_repository() -> None:
    found = subprocess.run(
        ["git", "grep", "-n", "-I", "--untracked", "-E", OUTSIDE, "--", *SEARCHED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode in (0, 1), found.stderr  # 1: no match; anything else: git failed
    assert found.stdout == "", (
        "the repository must carry its own contract (docs/format.md); these lines point "
        "at notes that are not in it:\n" + found.stdout
    )


#: Pages whose links are checked here (the other guides' owners check their own).
LINKED_PAGES = ["README.md", "docs/widget.md", "docs/format.md", "docs/api.md"]
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown page."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE):
        text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
        anchors.add(text.replace(" ", "-"))
    return anchors


def test_anchors_follow_githubs_rule() -> None:
    assert _anchors("## Starting from earlier work: `initial_value`\n# A model's (class)") == {
        "starting-from-earlier-work-initial_value",
        "a-models-class",
    }


@pytest.mark.parametrize("page", LINKED_PAGES)
def test_every_local_link_leads_somewhere(page: str) -> None:
    source = ROOT / page
    broken = []
    text = re.sub(r"```.*?```", "", source.read_text(encoding="utf-8"), flags=re.DOTALL)
    for target in _LINK.findall(re.sub(r"`[^`\n]*`", "", text)):  # links, not code
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked offline
        path, _, anchor = target.partition("#")
        linked = (source.parent / path).resolve() if path else source
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in _anchors(linked.read_text(encoding="utf-8")):
            broken.append(f"{target}: no heading with that anchor")
    assert broken == [], f"{page} has broken links: {broken}"


def test_readme_stays_an_entry_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 180, "README.md: move detail into a guide in docs/"
    assert "![" in readme and (ROOT / "docs" / "images" / "widget.png").is_file()
