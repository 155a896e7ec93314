"""crowdseg-widget: SageMaker Ground Truth's instance-segmentation tool in a notebook."""

from .annotation import Annotation
from .dataset import ImageLabeler, label_images
from .export import export_coco
from .palette import GROUND_TRUTH_COLORS
from .samples import sample_image
from .store import LabelStore, StoreError, StoreWarning, load_store
from .widget import InstanceSegmentation

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
