"""A local server for one test session: launched on a free port of 127.0.0.1 (retried on a
clash), ready when its URL answers, stopped with its whole process group.

JupyterLab, Notebook 7 (lab.py) and marimo (marimo_host.py) start this way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    """A server's process (in its own session and group), port and log."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    startup_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM to the group (children too), SIGKILL if it is still there after 15 s."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def launch(
    name: str,
    command: Callable[[int], list[str]],
    ready: Callable[[ServerProcess], None],
    *,
    env: Mapping[str, str],
    cwd: Path,
    logs: Path,
    attempts: int = 3,
    timeout: float = 60,
) -> ServerProcess:
    """Run `command(port)` until `ready(server)` stops raising OSError; retry on a new port.

    Each attempt logs to logs/NAME-<attempt>.log; when every attempt fails, the
    error quotes the end of each log.
    """
    failures = []
    for attempt in range(attempts):
        port = free_port()
        log_path = logs / f"{name}-{attempt}.log"
        started = time.monotonic()
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command(port),
                env=dict(env),
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = ServerProcess(process, port, log_path)
        while time.monotonic() < started + timeout and process.poll() is None:
            try:
                ready(server)
                server.startup_seconds = time.monotonic() - started
                return server
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        server.stop()
        failures.append(f"port {port}: {server.log()[-2000:]}")
    raise RuntimeError(f"{name} did not start:\n" + "\n---\n".join(failures))
