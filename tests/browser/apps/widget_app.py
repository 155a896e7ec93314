"""A marimo app for the marimo tier: the widget on a shipped photo and a cell reading it.

Cell 0 only imports (marimo calls that an import block), cell 1 shows the widget
through `mo.ui.anywidget`, cell 2 prints what Python holds (and when it ran), so a test reads the
exact label map (its SHA-256) from the page.
"""

import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo

    import crowdseg_widget

    return crowdseg_widget, mo


@app.cell
def _(crowdseg_widget, mo):
    w = mo.ui.anywidget(
        crowdseg_widget.InstanceSegmentation(
            crowdseg_widget.sample_image("coins"), labels=["Coin", "Other"]
        )
    )
    w  # noqa: B018 (marimo shows a cell's last expression)
    return (w,)


@app.cell
def _(w):
    import hashlib
    import time

    label_map = w.label_map
    print(
        f"pixels={int((label_map > 0).sum())}",
        f"sha256={hashlib.sha256(label_map.tobytes()).hexdigest()}",
        f"instances={len(w.annotation.labels)}",
        f"model={w.widget.model_id}",
        f"run={time.monotonic_ns()}",  # a new line each time the cell runs
    )
    return


if __name__ == "__main__":
    app.run()
