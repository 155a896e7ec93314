"""Labeling many images: the on-disk `store`, the `labeler` widget over it, the COCO `export`.

`store` and `export` need only numpy and Pillow; `labeler` is the widget and
needs the Jupyter stack, so nothing here is imported until asked for.
"""
