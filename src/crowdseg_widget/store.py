"""Old path of `datasets.store`, kept only until tests/browser imports the new one."""

from .datasets.store import LabelStore

__all__ = ["LabelStore"]
