"""The Jupyter tiers: one real JupyterLab (or Notebook 7) server per session, notebooks
opened in Chromium.

The recipe (docs/development.md, "How the browser tests drive Chromium and
JupyterLab"): a free port, a token, every Jupyter directory in a temp dir,
news and update checks off, windowing off; ready order /api/status → page →
kernel → idle; values read from the kernel with jupyter_client (silent
execute + user_expressions), not from the page. Notebook 7 is built from
JupyterLab's parts and exposes the same `window.jupyterapp`, so one
`NotebookPage` drives both.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from .harness import after_frames, set_radius, stroke, to_screen
from .servers import ServerProcess, launch

#: The front ends, by the module `python -m` starts: (its own options, a notebook's URL path).
FRONT_ENDS = {
    "jupyterlab": (
        [
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        "/lab/tree/",
    ),
    "notebook": (["--JupyterNotebookApp.expose_app_in_browser=True"], "/notebooks/"),
}

SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


@dataclass
class JupyterServer:
    """A running `python -m jupyterlab` (or `notebook`); `stop()` also ends its kernels."""

    app: str
    server: ServerProcess
    token: str
    root_dir: Path
    runtime_dir: Path

    @property
    def url(self) -> str:
        return self.server.url

    def notebook_url(self, name: str) -> str:
        """Where the front end opens notebook `name` (a file in root_dir)."""
        return f"{self.url}{FRONT_ENDS[self.app][1]}{name}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop(self) -> None:
        if self.server.process.poll() is None:
            try:  # kernels run in their own process groups: end them through the server
                for kernel in self.api("/api/kernels"):
                    self.api(f"/api/kernels/{kernel['id']}", method="DELETE")
            except (OSError, urllib.error.URLError, ValueError):
                pass
        self.server.stop()


def start_jupyter_server(
    base: Path, app: str = "jupyterlab", attempts: int = 3, timeout: float = 60
) -> JupyterServer:
    """Start `python -m <app>` (jupyterlab or notebook) with everything under `base`;
    retry on a port clash."""
    root = base / "notebooks"
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": base / "settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "workspaces",
        "IPYTHONDIR": base / "ipython",
    }
    for path in [root, *dirs.values()]:
        path.mkdir(parents=True, exist_ok=True)
    for name, settings in SETTINGS.items():
        file = dirs["JUPYTERLAB_SETTINGS_DIR"] / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(settings))
    # The kernel is this interpreter (the one that has crowdseg_widget), whatever else is installed.
    spec = dirs["JUPYTER_DATA_DIR"] / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        )
    )
    env = {**os.environ, **{k: str(v) for k, v in dirs.items()}}
    env.pop("JUPYTER_PATH", None)
    env["PYTHONUNBUFFERED"] = "1"
    token = uuid.uuid4().hex

    def command(port: int) -> list[str]:
        return [
            sys.executable, "-m", app, "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
            *FRONT_ENDS[app][0],
        ]  # fmt: skip

    def server(process: ServerProcess) -> JupyterServer:
        return JupyterServer(app, process, token, root, dirs["JUPYTER_RUNTIME_DIR"])

    return server(
        launch(
            app,
            command,
            lambda process: server(process).api("/api/status"),
            env=env,
            cwd=root,
            logs=base,
            attempts=attempts,
            timeout=timeout,
        )
    )


def write_notebook(path: Path, cells: Sequence[str]) -> Path:
    """A notebook as plain JSON (no nbformat import), with kernelspec metadata."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook, indent=1))
    return path


@dataclass
class NotebookPage:
    """An open notebook in JupyterLab or Notebook 7, its page, and a client on its kernel."""

    server: JupyterServer
    context: BrowserContext
    page: Page
    path: Path
    #: Uncaught errors in the page (JupyterLab's and the widget's).
    errors: list[str] = field(default_factory=list)
    _client: Any = field(default=None, repr=False)

    # ------------------------------------------------------------ the page

    def run_cell(self, index: int) -> None:
        """Select cell `index` and run it with jupyterapp.commands (no keyboard)."""
        self.page.evaluate(
            """async (i) => {
                const panel = window.jupyterapp.shell.currentWidget;
                panel.content.activeCellIndex = i;
                await window.jupyterapp.commands.execute('notebook:run-cell');
            }""",
            index,
        )

    def run_all(self) -> None:
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")

    def wait_idle(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel"
            "?.status === 'idle'",
            timeout=timeout,
        )

    def cells(self) -> Locator:
        return self.page.locator(".jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Locator:
        return self.cells().nth(index)

    def cell_count(self) -> int:
        """Cells in the notebook's model, after the page has rendered two more frames."""
        after_frames(self.page)
        return int(
            self.page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.content.model.cells.length"
            )
        )

    def output(self, index: int) -> Locator:
        return self.cell(index).locator(".jp-OutputArea-output")

    def wait_for_widget(
        self, index: int, selector: str = "canvas.crowdseg-input", timeout: float = 60_000
    ) -> Locator:
        """Wait for `selector` inside cell `index`'s output; returns its locator.

        Fails at once, with the traceback, if the cell raised instead.
        """
        output = self.output(index)
        locator = output.locator(selector).first
        # JupyterLab renders a traceback as stderr; a mere warning has no "Traceback".
        stderr = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        error = self.cell(index).locator(stderr, has_text="Traceback").first
        locator.or_(error).wait_for(state="visible", timeout=timeout)
        if error.is_visible():
            pytest.fail(f"cell {index} raised instead of showing the widget:\n{error.inner_text()}")
        return locator

    def paint(self, index: int, points: Sequence[tuple[int, int]], radius: int) -> None:
        """Set the brush radius of the widget in cell `index`, then stroke through `points`."""
        canvas = self.wait_for_widget(index)
        set_radius(self.output(index).locator("input.crowdseg-radius").first, radius)
        box = canvas.bounding_box()
        assert box is not None
        width, height = (int(v) for v in canvas.evaluate("c => [c.width, c.height]"))
        stroke(self.page, [to_screen(box, width, height, x, y) for x, y in points])

    # ------------------------------------------------------------ the kernel

    @property
    def kernel_id(self) -> str:
        return str(
            self.page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id"
            )
        )

    @property
    def connection_file(self) -> Path:
        return self.server.runtime_dir / f"kernel-{self.kernel_id}.json"

    def kernel_client(self) -> Any:
        if self._client is None:
            from jupyter_client import BlockingKernelClient

            client = BlockingKernelClient(connection_file=str(self.connection_file))
            client.load_connection_file()
            client.start_channels()
            client.wait_for_ready(timeout=30)
            self._client = client
        return self._client

    def kernel_eval(self, expression: str, timeout: float = 30) -> str:
        """The kernel's `repr` (text/plain) of `expression`, read without touching the page."""
        client = self.kernel_client()
        msg_id = client.execute(
            "", silent=True, store_history=False, user_expressions={"result": expression}
        )
        deadline = time.monotonic() + timeout
        while True:
            reply = client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        result = reply["content"]["user_expressions"]["result"]
        if result["status"] != "ok":
            raise RuntimeError(
                f"kernel_eval({expression!r}): {result.get('ename')}: {result.get('evalue')}"
            )
        return str(result["data"]["text/plain"])

    def wait_for_kernel(self, expression: str, expected: str, timeout: float = 20) -> None:
        """Poll `expression` in the kernel until its repr is `expected`: how a test waits
        for the page's save to reach Python here."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.kernel_eval(expression)
            if got == expected or time.monotonic() > deadline:
                break
            time.sleep(0.05)  # a poll interval: each poll is a kernel round trip
        assert got == expected, (
            f"{expression} is {got}, expected {expected}; page errors: {self.errors}"
        )

    def kernel_json(self, expression: str) -> Any:
        """`expression` evaluated in the kernel, passed through json.dumps: a Python value here."""
        import ast

        text = self.kernel_eval(f"__import__('json').dumps({expression})")
        return json.loads(ast.literal_eval(text))

    def close(self) -> None:
        if self._client is not None:
            self._client.stop_channels()
            self._client = None
        self.context.close()


def open_notebook(
    server: JupyterServer,
    browser: Browser,
    name: str,
    cells: Sequence[str],
    *,
    viewport: dict[str, int] | None = None,
    timeout: float = 90_000,
) -> NotebookPage:
    """Write `cells` to NAME.ipynb, open it in a new context, wait until its kernel is idle."""
    path = write_notebook(server.root_dir / f"{name}.ipynb", cells)
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
    page = context.new_page()
    notebook = NotebookPage(server, context, page, path)
    page.on("pageerror", lambda err: notebook.errors.append(str(err)))
    try:
        page.goto(server.notebook_url(path.name))
        page.wait_for_function(
            "() => !!window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel",
            timeout=timeout,
        )
        if server.app == "jupyterlab":  # Notebook 7 has no execution indicator
            indicator = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
            indicator.first.wait_for(timeout=timeout)
        notebook.wait_idle(timeout)
    except Exception:
        notebook.close()
        raise
    return notebook
