"""Adding an assist's mask to an `Annotation` (the logic behind `auto_segment` / `segment`).

Overlap policy, as in the view's editor: by default the accepted mask paints
over other instances (the view's default, "paint over other instances");
with `preserve=True` only background pixels (and, when adding to an
instance, that instance's own) change, so no other instance loses a pixel.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..annotation import Annotation
from ..palette import next_colors
from .prompt import Prompt
from .runner import Assist, AssistError, run_assist


def accept_mask(
    annotation: Annotation,
    mask: np.ndarray,
    label: str,
    *,
    preserve: bool = False,
    used_colors: Iterable[str] = (),
) -> tuple[Annotation, int]:
    """A copy with `mask` as a new instance of `label` (the next free color); and its id.

    With `preserve=True` pixels of other instances keep their instance.
    """
    mask = np.asarray(mask, bool)
    if preserve:
        mask = mask & (annotation.label_map == 0)
    color = next_colors(1, used=[*used_colors, *annotation.colors])[0]
    return annotation.with_instance(label, color, mask), annotation.num_instances + 1


def add_to_instance(
    annotation: Annotation, instance: int, mask: np.ndarray, *, preserve: bool = False
) -> Annotation:
    """A copy with `mask` added to instance `instance` (1-based), under the overlap policy."""
    if not isinstance(instance, (int, np.integer)) or not 1 <= instance <= annotation.num_instances:
        raise ValueError(
            f"instance {instance!r} does not exist; ids are 1..{annotation.num_instances}"
        )
    label_map = annotation.label_map
    mask = np.asarray(mask, bool)
    if mask.shape != label_map.shape:
        raise ValueError(f"mask has shape {mask.shape}, the annotation {label_map.shape}")
    if preserve:
        mask = mask & ((label_map == 0) | (label_map == instance))
    updated = label_map.copy()
    updated[mask] = instance
    return Annotation(updated, annotation.labels, annotation.colors)


def add_instance_from_prompt(
    annotation: Annotation,
    image: np.ndarray,
    assist: Assist,
    prompt: Prompt,
    label: str,
    *,
    preserve: bool = False,
    used_colors: Iterable[str] = (),
) -> tuple[Annotation, int]:
    """Run `assist` on `prompt` and add its best candidate as a new instance of `label`.

    Returns the new annotation and the new instance's 1-based id; the given
    annotation is unchanged. Raises `AssistError` when the assist fails or
    finds nothing (no candidate, or an empty best mask): nothing is added then.
    `used_colors` are colors not to hand out again (e.g. of deleted instances).
    """
    if (image.shape[1], image.shape[0]) != (annotation.width, annotation.height):
        raise ValueError(
            f"the image is {image.shape[1]}x{image.shape[0]} but the annotation is "
            f"{annotation.width}x{annotation.height}"
        )
    result = run_assist(assist, image, prompt)
    if not result.candidates or not result.candidates[0][0].any():
        raise AssistError("the assist found no object for this prompt (its mask is empty)")
    return accept_mask(
        annotation, result.candidates[0][0], label, preserve=preserve, used_colors=used_colors
    )
