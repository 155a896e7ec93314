"""Formats an `Annotation` is read from and written to.

`sagemaker` (the SageMaker value and `initial_value` forms), `png_codec` (the
label PNG inside it), `coco` (COCO RLE and polygon annotations), `polygons`
(outlines traced along pixel edges), `masks` (binary masks, class maps) and
`predictions` (a model's masks, probabilities and scores). Each
module imports `Annotation`; `Annotation` imports them only inside the methods
that use them, so importing this package loads nothing optional.
"""
