"""The marimo tier: one `marimo edit` server per session, apps opened in Chromium.

The server serves a folder (`marimo edit DIR`), so one server opens any app:
`/?file=NAME.py`. Every test gets its own copy of its app, hence its own
marimo session and kernel. Scratch HOME with a marimo.toml that runs the
cells on open (`auto_instantiate`, off by default in `marimo edit`) and never
autosaves; `MARIMO_SKIP_UPDATE_CHECK=1`. Ready when `/health` answers. Values
are read from a dependent cell's printed output, as a marimo user sees them.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page

from .servers import ServerProcess, launch

APPS = Path(__file__).with_name("apps")
USER_CONFIG = """\
[runtime]
auto_instantiate = true

[save]
autosave = "off"

[completion]
copilot = false
"""


@dataclass
class MarimoServer:
    """A running `python -m marimo edit <root_dir>`; `stop()` ends it and its kernels."""

    server: ServerProcess
    root_dir: Path

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()  # the kernels are in its process group


def start_marimo_server(base: Path, attempts: int = 3, timeout: float = 60) -> MarimoServer:
    """`marimo edit` on a folder under `base`, HOME in `base`; retry on a port clash."""
    root, home = base / "apps", base / "home"
    root.mkdir(parents=True, exist_ok=True)
    config = home / ".config" / "marimo" / "marimo.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(USER_CONFIG)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "MARIMO_SKIP_UPDATE_CHECK": "1",
        "PYTHONUNBUFFERED": "1",
    }

    def command(port: int) -> list[str]:
        return [
            sys.executable, "-m", "marimo", "edit", str(root), "--headless", "--no-token",
            "--host", "127.0.0.1", "--port", str(port), "--skip-update-check", "--no-sandbox",
        ]  # fmt: skip

    def answers(process: ServerProcess) -> None:
        with urllib.request.urlopen(f"{process.url}/health", timeout=5):
            pass

    process = launch(
        "marimo", command, answers, env=env, cwd=root, logs=base, attempts=attempts,
        timeout=timeout,
    )  # fmt: skip
    return MarimoServer(process, root)


@dataclass
class MarimoPage:
    """An app open in `marimo edit`: its cells, their printed output, re-running them."""

    context: BrowserContext
    page: Page
    path: Path
    #: Uncaught errors in the page (marimo's and the widget's).
    errors: list[str] = field(default_factory=list)

    def cell(self, index: int) -> Locator:
        return self.page.locator(".marimo-cell").nth(index)

    def cell_count(self) -> int:
        return self.page.locator(".marimo-cell").count()

    def stdout(self, index: int) -> Locator:
        return self.cell(index).locator('[data-testid="console-output-area"] .stdout')

    def wait_for_stdout(self, index: int, pattern: str, timeout: float = 30_000) -> re.Match[str]:
        """Wait until cell `index` has printed a line matching `pattern`; the match.

        A dependent cell's output is how a marimo user sees the widget's value,
        and it is replaced each time the cell re-runs.
        """
        self.stdout(index).filter(has_text=re.compile(pattern)).first.wait_for(timeout=timeout)
        found = re.search(pattern, self.stdout(index).first.inner_text())
        assert found is not None
        return found

    def widget(self, index: int, selector: str = "canvas.crowdseg-input") -> Locator:
        """`selector` inside cell `index`'s `<marimo-anywidget>` (Playwright pierces its
        shadow root)."""
        return self.cell(index).locator(f"marimo-anywidget {selector}").first

    def run_cell(self, index: int) -> None:
        """Re-run cell `index` as a user would: into its editor, Ctrl+Enter."""
        self.cell(index).locator(".cm-content").click()
        self.page.keyboard.press("Control+Enter")

    def close(self) -> None:
        self.context.close()


def open_app(
    server: MarimoServer,
    browser: Browser,
    app: str,
    copy_as: str,
    *,
    viewport: dict[str, int] | None = None,
) -> MarimoPage:
    """Copy tests/browser/apps/APP.py into the server's folder as COPY_AS.py, open it."""
    path = server.root_dir / f"{copy_as}.py"
    shutil.copyfile(APPS / f"{app}.py", path)
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
    page = context.new_page()
    opened = MarimoPage(context, page, path)
    page.on("pageerror", lambda err: opened.errors.append(str(err)))
    try:
        page.goto(f"{server.url}/?file={path.name}")
    except Exception:
        opened.close()
        raise
    return opened
