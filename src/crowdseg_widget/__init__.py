"""crowdseg-widget: SageMaker Ground Truth's instance-segmentation tool in a notebook."""

from .annotation import Annotation
from .palette import GROUND_TRUTH_COLORS
from .samples import sample_image
from .widget import InstanceSegmentation

__all__ = ["GROUND_TRUTH_COLORS", "Annotation", "InstanceSegmentation", "sample_image"]
__version__ = "0.1.0"
