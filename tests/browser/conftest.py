"""Fixtures for the browser tiers (see docs/development.md).

- `harness(widget)`, `h`: the widget's ESM on a bare page, bridged to the real
  Python widget (about 1-3 s a test).
- `jupyter_server` (session) and `lab_notebook(cells)`: a real JupyterLab, a
  notebook opened in Chromium, `kernel_eval` on its kernel (lab.py).
- `notebook_server` (session) and `notebook7(cells)`: the same in Notebook 7.
- `marimo_server` (session) and `marimo_app(name)`: an app of apps/ in
  `marimo edit` (marimo_host.py).

Every test in this folder is marked `browser`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from crowdseg_widget import InstanceSegmentation

from .harness import Harness
from .lab import JupyterServer, NotebookPage, open_notebook, start_jupyter_server
from .marimo_host import MarimoPage, MarimoServer, open_app, start_marimo_server
from .scene import H, W, gradient_image, save_gradient

STATIC = Path(__file__).resolve().parents[2] / "src" / "crowdseg_widget" / "static"
#: The session-scoped servers, in the order their tests run.
SERVER_TIERS = ["notebook_server", "marimo_server", "jupyter_server"]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)

    def host(item: pytest.Item) -> int:
        """Harness first, then each server tier together (tests/conftest.py: JupyterLab last)."""
        names = getattr(item, "fixturenames", ())
        return next((i for i, n in enumerate(SERVER_TIERS, 1) if n in names), 0)

    items.sort(key=host)


@pytest.fixture
def harness(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Harness]]:
    """`harness(widget, width=900, init_script="", headers=None) -> Harness`: mount `widget`
    on a fresh page (in a fresh context).

    `init_script` runs before the page's own scripts (e.g. to replace `Worker`);
    `headers` go on the page's response (e.g. a Content-Security-Policy). On
    failure a screenshot goes to test-results/<test name>.png.
    """
    opened: list[tuple[Any, Harness]] = []

    def mount(
        widget: Any,
        *,
        width: int = 900,
        init_script: str = "",
        headers: dict[str, str] | None = None,
    ) -> Harness:
        context = browser.new_context(viewport={"width": width + 100, "height": 900})
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        try:
            h = Harness(page, widget, width=width, headers=headers)
        except Exception:
            context.close()
            raise
        opened.append((context, h))
        return h

    yield mount
    for context, h in opened:
        screenshot_if_failed(request, h.page)
        h.close()
        context.close()


@pytest.fixture
def widget() -> InstanceSegmentation:
    """The widget most harness tests paint on: the gradient scene, labels Cat and Dog."""
    return InstanceSegmentation(gradient_image(), labels=["Cat", "Dog"])


@pytest.fixture
def h(harness: Callable[..., Harness], widget: InstanceSegmentation) -> Harness:
    """`widget` mounted and shown at 1:1, so image pixels are screen pixels."""
    mounted = harness(widget)
    mounted.wait_for_canvas()
    box = mounted.canvas_box()
    assert (box["width"], box["height"]) == (W, H), "the image should show at 1:1"
    return mounted


@pytest.fixture
def widget_bundle() -> Path:
    """The built front end; fails (never skips) when it is missing."""
    bundle = STATIC / "widget.js"
    if not bundle.exists():
        pytest.fail(f"{bundle} is missing: run `npm run build` (or `make build`)", pytrace=False)
    return bundle


def require(module: str, why: str) -> None:
    """A host's package must be importable: skip locally, fail on CI (CI=true)."""
    if importlib.util.find_spec(module) is None:
        reason = f"{module} is not installed ({why})"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(reason)


def serve_jupyter(app: str, base: Path) -> Iterator[JupyterServer]:
    """`python -m <app>` for a session, the gradient scene in its folder; stopped at the end."""
    require(app, "pip install -e '.[test]'")
    server = start_jupyter_server(base, app)
    save_gradient(server.root_dir)
    print(f"\n{app} ready on {server.url} in {server.server.startup_seconds:.1f} s")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def jupyter_server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    """One JupyterLab for the session, every Jupyter dir in a temp dir; stopped at the end."""
    yield from serve_jupyter("jupyterlab", tmp_path_factory.mktemp("jupyter"))


@pytest.fixture(scope="session")
def notebook_server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    """One Notebook 7 for the session, set up as `jupyter_server`."""
    yield from serve_jupyter("notebook", tmp_path_factory.mktemp("notebook"))


def notebook_opener(
    server: JupyterServer, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., NotebookPage]]:
    """Yields `open(cells, name=None) -> NotebookPage`; afterwards closes the pages and
    shuts their kernels down (a screenshot of each first if the test failed)."""
    opened: list[NotebookPage] = []

    def open_(cells: Sequence[str], name: str | None = None) -> NotebookPage:
        stem = name or f"{request.node.name}-{len(opened)}".replace("[", "-").replace("]", "")
        started = time.monotonic()
        notebook = open_notebook(server, browser, stem, cells)
        print(f"notebook {stem} idle in {time.monotonic() - started:.1f} s")
        opened.append(notebook)
        return notebook

    yield open_
    for notebook in opened:
        screenshot_if_failed(request, notebook.page)
        kernel_id = None
        with contextlib.suppress(Exception):
            kernel_id = notebook.kernel_id
        notebook.close()
        if kernel_id:
            with contextlib.suppress(OSError):
                server.api(f"/api/kernels/{kernel_id}", method="DELETE")


@pytest.fixture
def lab_notebook(
    jupyter_server: JupyterServer, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., NotebookPage]]:
    """`lab_notebook(cells, name=None) -> NotebookPage`: write, open in JupyterLab, wait for
    an idle kernel. Its kernel is shut down after the test; on failure a screenshot goes
    to test-results/<test name>.png.
    """
    yield from notebook_opener(jupyter_server, browser, request)


@pytest.fixture
def notebook7(
    notebook_server: JupyterServer, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., NotebookPage]]:
    """`notebook7(cells, name=None) -> NotebookPage`: as `lab_notebook`, in Notebook 7."""
    yield from notebook_opener(notebook_server, browser, request)


@pytest.fixture(scope="session")
def marimo_server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MarimoServer]:
    """One `marimo edit` for the session on a temp folder, HOME there too; stopped at the end."""
    require("marimo", "pip install -e '.[test]'")
    server = start_marimo_server(tmp_path_factory.mktemp("marimo"))
    print(f"\nmarimo ready on {server.url} in {server.server.startup_seconds:.1f} s")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def marimo_app(
    marimo_server: MarimoServer, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], MarimoPage]]:
    """`marimo_app(name) -> MarimoPage`: tests/browser/apps/NAME.py, copied for this test (its
    own marimo session), opened in `marimo edit`, its cells run. Closed after the test; on
    failure a screenshot goes to test-results/<test name>.png."""
    opened: list[MarimoPage] = []

    def open_(name: str) -> MarimoPage:
        stem = f"{name}-{request.node.name}-{len(opened)}"
        app = open_app(
            marimo_server, browser, name, "".join(c if c.isalnum() else "_" for c in stem)
        )
        opened.append(app)
        return app

    yield open_
    for app in opened:
        screenshot_if_failed(request, app.page)
        app.close()


def screenshot_if_failed(request: pytest.FixtureRequest, page: Any) -> None:
    """If the test failed, its page as it was goes to test-results/<test name>.png."""
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
