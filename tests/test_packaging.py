"""A built wheel carries the front-end bundle, the static page's scripts and the sample photos."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_contains_the_built_front_end_and_the_samples(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("crowdseg_widget-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "crowdseg_widget/static/widget.js",
        "crowdseg_widget/static/widget.css",
        "crowdseg_widget/samples/chelsea.png",
        "crowdseg_widget/samples/LICENSES.md",
        "crowdseg_widget/static_page.js",  # to_html's page boot
        "crowdseg_widget/memory_model.js",  # and the model it renders with
    } <= names
    bundle = zipfile.ZipFile(wheel).read("crowdseg_widget/static/widget.js")
    assert b"crowdseg-input" in bundle  # the real bundle, not the missing-bundle fallback
