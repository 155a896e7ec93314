"""crowdseg-widget: SageMaker Ground Truth's instance-segmentation tool in a notebook.

Everything but the widget classes needs only numpy and Pillow: `InstanceSegmentation`,
`ImageLabeler` and `label_images` (anywidget, ipywidgets, traitlets) load when first used,
so batch code (a training job, a Lambda) can `import crowdseg_widget` without Jupyter.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .annotation import Annotation
from .datasets.export import export_coco
from .datasets.store import LabelStore, StoreError, StoreWarning, load_store
from .palette import GROUND_TRUTH_COLORS
from .samples import sample_image

if TYPE_CHECKING:
    from .datasets.labeler import ImageLabeler, label_images
    from .widget import InstanceSegmentation

#: Names that need the Jupyter stack -> the module that defines them.
_WIDGET_NAMES = {
    "InstanceSegmentation": ".widget",
    "ImageLabeler": ".datasets.labeler",
    "label_images": ".datasets.labeler",
}

__all__ = [
    "GROUND_TRUTH_COLORS",
    "Annotation",
    "ImageLabeler",
    "InstanceSegmentation",
    "LabelStore",
    "StoreError",
    "StoreWarning",
    "export_coco",
    "label_images",
    "load_store",
    "sample_image",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The widget classes, imported on first use (PEP 562)."""
    module = _WIDGET_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        value = getattr(importlib.import_module(module, __name__), name)
    except ModuleNotFoundError as err:
        if err.name is None or err.name.partition(".")[0] == __name__:
            raise
        raise ModuleNotFoundError(
            f"{name} is a Jupyter widget: it needs {err.name}, which is not installed. "
            "`pip install crowdseg-widget` (with its dependencies) installs it; Annotation, "
            "LabelStore and the formats work without it",
            name=err.name,
        ) from err
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WIDGET_NAMES})
