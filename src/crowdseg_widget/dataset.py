"""Old path of `datasets.labeler`, kept only until tests/browser imports the new one."""

from .datasets.labeler import ImageLabeler, label_images

__all__ = ["ImageLabeler", "label_images"]
