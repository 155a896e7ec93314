"""Fixtures for the two browser tiers (see docs/development.md).

- `harness(widget)`: the widget's ESM on a bare page, bridged to the real
  Python widget (about 1-3 s a test).
- `jupyter_server` (session) and `lab_notebook(name, cells)`: a real
  JupyterLab, a notebook opened in Chromium, `kernel_eval` on its kernel.

Every test in this folder is marked `browser`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from .harness import Harness
from .lab import JupyterServer, LabNotebook, open_notebook, start_jupyter_server

STATIC = Path(__file__).resolve().parents[2] / "src" / "crowdseg_widget" / "static"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def harness(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Harness]]:
    """`harness(widget, width=900) -> Harness`: mount `widget` on a fresh page.

    On failure a screenshot goes to test-results/<test name>.png.
    """
    opened: list[tuple[Any, Harness]] = []

    def mount(widget: Any, *, width: int = 900) -> Harness:
        context = browser.new_context(viewport={"width": width + 100, "height": 900})
        page = context.new_page()
        try:
            h = Harness(page, widget, width=width)
        except Exception:
            context.close()
            raise
        opened.append((context, h))
        return h

    yield mount
    failed = getattr(request.node, "rep_call", None)
    for context, h in opened:
        if failed is not None and failed.failed:
            save_screenshot(h.page, request.node.name)
        h.close()
        context.close()


@pytest.fixture
def widget_bundle() -> Path:
    """The built front end; fails (never skips) when it is missing."""
    bundle = STATIC / "widget.js"
    if not bundle.exists():
        pytest.fail(f"{bundle} is missing: run `npm run build` (or `make build`)", pytrace=False)
    return bundle


@pytest.fixture(scope="session")
def jupyter_server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    """One JupyterLab for the session, every Jupyter dir in a temp dir; stopped at the end."""
    server = start_jupyter_server(tmp_path_factory.mktemp("jupyter"))
    print(f"\nJupyterLab ready on {server.url} in {server.startup_seconds:.1f} s")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab_notebook(
    jupyter_server: JupyterServer, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., LabNotebook]]:
    """`lab_notebook(cells, name=None) -> LabNotebook`: write, open, wait for an idle kernel.

    Its kernel is shut down after the test; on failure a screenshot goes to
    test-results/<test name>.png.
    """
    opened: list[LabNotebook] = []

    def open_(cells: Sequence[str], name: str | None = None) -> LabNotebook:
        stem = name or f"{request.node.name}-{len(opened)}".replace("[", "-").replace("]", "")
        started = time.monotonic()
        notebook = open_notebook(jupyter_server, browser, stem, cells)
        print(f"notebook {stem} idle in {time.monotonic() - started:.1f} s")
        opened.append(notebook)
        return notebook

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for notebook in opened:
        if failed is not None and failed.failed:
            save_screenshot(notebook.page, request.node.name)
        kernel_id = None
        with contextlib.suppress(Exception):
            kernel_id = notebook.kernel_id
        notebook.close()
        if kernel_id:
            with contextlib.suppress(OSError):
                jupyter_server.api(f"/api/kernels/{kernel_id}", method="DELETE")


def save_screenshot(page: Any, name: str) -> None:
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
