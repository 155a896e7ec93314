"""`crowdseg_widget.groundtruth` imports and works with numpy and Pillow alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

BLOCKED = [
    "anywidget",
    "ipywidgets",
    "traitlets",
    "IPython",
    "boto3",
    "botocore",
    "fsspec",
    "liquid",
]

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, sys, tempfile, pathlib

    BLOCKED = set(sys.argv[2].split(","))

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, Block())
    sys.path.insert(0, sys.argv[1])
    from crowdseg_widget.groundtruth import (
        consolidate, consolidation_handler, local_resolver, read_output_manifest,
    )
    from groundtruth.bucket import BUCKET, build_bucket

    root = pathlib.Path(tempfile.mkdtemp())
    built = build_bucket(root)
    manifest = root / built["manifest"][len(BUCKET):]
    first = read_output_manifest(manifest, label_attribute="crowdseg",
                                 resolver=local_resolver({BUCKET: root}))[0]
    result, report = consolidate(first.workers)
    assert result == built["scene"].expected, result
    response = consolidation_handler(built["event"], None, resolver=local_resolver({BUCKET: root}))
    assert [item["datasetObjectId"] for item in response] == ["0", "1"], response
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
    assert not loaded, loaded
    print("ok", result.num_instances, len(report["dropped"]))
    """
)


def test_read_consolidate_and_the_lambda_without_jupyter_or_aws():
    tests = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tests), ",".join(BLOCKED)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "3", "1"]
