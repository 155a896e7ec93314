"""The shipped notebooks run top to bottom (their code, in this interpreter)."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_to_run():
    assert {p.name for p in NOTEBOOKS} >= {
        "quickstart.ipynb",
        "review_predictions.ipynb",
        "training_export.ipynb",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_runs_without_errors(path):
    notebook = json.loads(path.read_text())
    namespace: dict[str, object] = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{path.name}", "exec"), namespace)
    assert "w" in namespace
