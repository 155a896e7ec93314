"""Sample photos shipped inside the package, so notebooks and tests work offline."""

from __future__ import annotations

from pathlib import Path

_SAMPLES_DIR = Path(__file__).parent / "samples"

#: Sample name -> file in `samples/` (licenses in `samples/LICENSES.md`).
SAMPLE_IMAGES: dict[str, str] = {
    "cat": "chelsea.png",
    "coffee": "coffee.png",
    "coins": "coins.png",
    "astronaut": "astronaut.png",
}


def sample_image(name: str = "cat") -> Path:
    """Path of a shipped sample photo: 'cat', 'coffee', 'coins' or 'astronaut'."""
    try:
        return _SAMPLES_DIR / SAMPLE_IMAGES[name]
    except KeyError:
        known = ", ".join(repr(n) for n in SAMPLE_IMAGES)
        raise ValueError(f"unknown sample image {name!r}; choose one of {known}") from None
