"""The widget in marimo (`marimo edit`, through `mo.ui.anywidget`): a stroke reaches a
dependent cell exactly, marimo's command keys stay out of the canvas, undo, and the
cell re-run rules (marimo tier).

The app is apps/widget_app.py: cell 0 imports, cell 1 shows the widget on the
"coins" photo, cell 2 prints `pixels=… sha256=… instances=… model=… run=…` of what Python
holds. Exact pixels are compared through the SHA-256 of the label map.
"""

from __future__ import annotations

import contextlib
import hashlib

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from crowdseg_widget import sample_image
from reference_raster import stroke_mask

from .harness import set_radius, stroke, to_screen
from .marimo_host import MarimoPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

IMPORTS, WIDGET, READOUT = 0, 1, 2
WIDTH, HEIGHT = Image.open(sample_image("coins")).size
# marimo's command-mode keys (cell above/below, SQL cell, copy, cut, paste).
MARIMO_KEYS = ["a", "b", "q", "c", "x", "v"]


def digest(label_map: np.ndarray) -> str:
    return hashlib.sha256(label_map.astype(np.uint8).tobytes()).hexdigest()


EMPTY = np.zeros((HEIGHT, WIDTH), np.uint8)


def paint(app: MarimoPage, points: list[tuple[int, int]], radius: int) -> None:
    """A brush stroke on the widget of cell WIDGET, the image shown at 1:1."""
    canvas = app.widget(WIDGET)
    set_radius(app.widget(WIDGET, "input.crowdseg-radius"), radius)
    box = canvas.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (WIDTH, HEIGHT), "not 1:1"
    stroke(app.page, [to_screen(box, WIDTH, HEIGHT, x, y) for x, y in points])


def expect(app: MarimoPage, label_map: np.ndarray, instances: int) -> str:
    """Wait until the read-out cell shows exactly `label_map`; the widget's model id."""
    pixels = int((label_map > 0).sum())
    line = rf"pixels={pixels} sha256={digest(label_map)} instances={instances} model=(\w+)"
    return app.wait_for_stdout(READOUT, line)[1]


@pytest.fixture
def app(marimo_app) -> MarimoPage:
    opened = marimo_app("widget_app")
    opened.widget(WIDGET).wait_for(timeout=90_000)
    expect(opened, EMPTY, instances=0)
    return opened


def test_a_stroke_reaches_the_dependent_cell_exactly_and_marimo_keys_stay_out(app):
    points = [(60, 80), (200, 110)]
    paint(app, points, radius=4)
    painted = stroke_mask(WIDTH, HEIGHT, points, 4).astype(np.uint8)
    expect(app, painted, instances=1)

    cells = app.cell_count()
    app.cell(WIDGET).locator(".cm-content").click()
    app.page.keyboard.press("Escape")  # marimo's command mode, on the widget's cell
    app.widget(WIDGET).focus()
    for key in MARIMO_KEYS:
        app.page.keyboard.press(key)
    app.page.keyboard.press("Control+z")  # the widget's undo, not marimo's
    expect(app, EMPTY, instances=1)  # undo keeps the instance
    assert app.cell_count() == cells
    assert app.errors == []

    # The same key on the selected cell, outside the canvas, does add a cell.
    app.cell(READOUT).locator(".cm-content").click()
    app.page.keyboard.press("Escape")  # out of the editor: marimo's command mode
    app.page.keyboard.press("b")
    app.page.wait_for_function(
        "n => document.querySelectorAll('.marimo-cell').length > n", arg=cells
    )


def test_rerunning_the_dependent_cell_or_the_widget_cell(app):
    """The dependent cell re-runs on its own; the widget cell makes a new, empty widget."""
    first = [(30, 40), (120, 40)]
    paint(app, first, radius=2)
    painted = stroke_mask(WIDTH, HEIGHT, first, 2).astype(np.uint8)
    model = expect(app, painted, instances=1)

    before = app.stdout(READOUT).first.inner_text()
    app.run_cell(READOUT)
    app.stdout(READOUT).filter(has_not_text=before).first.wait_for()  # it ran again
    assert expect(app, painted, instances=1) == model
    second = [(100, 200), (100, 260)]
    paint(app, second, radius=1)  # the same widget, still live
    painted[stroke_mask(WIDTH, HEIGHT, second, 1)] = 1
    assert expect(app, painted, instances=1) == model

    app.run_cell(WIDGET)
    fresh = expect(app, EMPTY, instances=0)
    assert fresh != model  # a new widget: marimo re-ran the cell that makes it
    paint(app, first, radius=2)
    assert expect(app, stroke_mask(WIDTH, HEIGHT, first, 2).astype(np.uint8), 1) == fresh
    assert app.errors == []


def test_after_the_import_cell_the_left_behind_output_says_so(app):
    """marimo closes the model under a live view (the limitation below): no blank output."""
    app.widget(WIDGET).wait_for()
    app.run_cell(IMPORTS)
    note = app.widget(WIDGET, ".crowdseg-disconnected")
    note.wait_for(timeout=10_000)
    assert "no longer connected to Python" in note.inner_text()
    app.run_cell(WIDGET)  # the documented way back: a new widget, and the note is gone
    app.widget(WIDGET).wait_for()
    assert note.count() == 0


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason=(
        "marimo 0.25: re-running an import-only cell disposes its descendants' widget comms "
        "(Kernel._invalidate_cell_state) but re-runs none of them (import-block pruning), so "
        "the widget's model is closed under a live view; see docs/hosts.md"
    ),
)
def test_rerunning_the_import_cell_keeps_the_widget_working(app):
    first = [(30, 40), (120, 40)]
    paint(app, first, radius=2)
    painted = stroke_mask(WIDTH, HEIGHT, first, 2).astype(np.uint8)
    model = expect(app, painted, instances=1)

    canvas = app.widget(WIDGET)
    app.run_cell(IMPORTS)
    # Today the view is torn down at once (well under a second). Whatever marimo re-runs,
    # the widget shown must then take strokes: the same one, or a new one if marimo
    # re-ran the widget cell too.
    with contextlib.suppress(PlaywrightTimeoutError):
        canvas.wait_for(state="detached", timeout=5_000)
    try:
        canvas.wait_for(timeout=10_000)
    except PlaywrightTimeoutError:
        raise AssertionError("no canvas in the widget's output after the import cell") from None
    second = [(100, 200), (100, 260)]
    paint(app, second, radius=1)
    alone = stroke_mask(WIDTH, HEIGHT, second, 1).astype(np.uint8)
    painted[alone == 1] = 1
    both, fresh = digest(painted), digest(alone)
    found = app.wait_for_stdout(READOUT, rf"sha256=({both}|{fresh}) instances=1 model=(\w+)")
    assert (found[1] == both) == (found[2] == model), "a stroke lost or on the wrong widget"
