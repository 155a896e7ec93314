"""`Annotation`: the pure value of one labeled image (no widget in it).

The format adapters (`formats/`) import this module; the `from_*`/`to_*`
methods here import their adapter when called, so imports run one way only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from numbers import Integral
from typing import Any

import numpy as np
from PIL import Image

from .boxes import instance_areas, instance_boxes
from .instance_masks import InstanceMasks
from .overlay import overlay_image, preview_png
from .palette import next_colors, normalize_color

#: The label map is uint16 beyond 255 instances, so an image holds at most 65,535.
MAX_INSTANCES = 65_535


def id_dtype(num_instances: int) -> type[np.unsignedinteger]:
    """The label map's dtype: uint8 up to 255 instances, uint16 beyond."""
    return np.uint8 if num_instances <= 255 else np.uint16


def check_instance_count(count: int) -> None:
    """Refuse more instances than a uint16 label map can tell apart (before any work)."""
    if count > MAX_INSTANCES:
        raise ValueError(
            f"{count:,} instances are more than an image can hold: at most {MAX_INSTANCES:,} "
            "(the label map is uint16)"
        )


def dimension(n: object) -> int | None:
    """A positive whole number (int, numpy integer, or a float like 800.0), else None."""
    if isinstance(n, bool) or not isinstance(n, (Integral, float)):
        return None
    if isinstance(n, float) and not n.is_integer():
        return None
    whole = int(n)
    return whole if whole > 0 else None


def _label_problem(label: str) -> str | None:
    """Why `label` cannot name a class (None when it can): blank, invisible or not text."""
    if not label.strip():
        return "empty"
    for char in label:
        category = unicodedata.category(char)
        if category == "Cs":
            return f"lone surrogate U+{ord(char):04X} (not valid Unicode)"
        if category == "Cc":
            return f"control character U+{ord(char):04X}"
    if all(char.isspace() or unicodedata.category(char) == "Cf" for char in label):
        return "invisible"
    return None


def check_labels(labels: Sequence[str], what: str = "instance label") -> list[str]:
    """`labels` as a list, each a string with a visible character; errors name the bad one.

    Refused: non-strings, blank labels, labels of only zero-width (format)
    characters, and labels holding a control character (NUL included) or a
    lone surrogate (text that cannot be saved as UTF-8).
    """
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError(f"{what}s must be a list of strings, got {type(labels).__name__}")
    for label in labels:
        if not isinstance(label, str):
            raise TypeError(f"{what} {label!r} is a {type(label).__name__}, not a string")
        problem = _label_problem(label)
        if problem == "empty":
            raise ValueError(f"{what}s must not be empty strings")
        if problem == "invisible":
            raise ValueError(
                f"{what} {label!r} has no visible character (only zero-width or format characters)"
            )
        if problem is not None:
            raise ValueError(f"{what} {label!r} holds a {problem}; labels are plain text")
    return list(labels)


def binary_mask(mask: np.ndarray, what: str = "masks") -> np.ndarray:
    """`mask` as bool: it must be bool or hold only 0 and 1 (never a probability)."""
    if mask.dtype == bool:
        return mask
    if mask.dtype.kind not in "uif" or not np.isin(mask, (0, 1)).all():
        raise ValueError(
            f"{what} must be boolean or hold only 0 and 1 "
            f"(got dtype {mask.dtype}); threshold probabilities first"
        )
    return mask.astype(bool)


def _check_colors(colors: Sequence[str], count: int) -> list[str]:
    if isinstance(colors, str) or not isinstance(colors, Sequence):
        raise TypeError(f"instance colors must be a list of '#rrggbb' strings, got {colors!r}")
    normalized = [normalize_color(c) for c in colors]
    if len(normalized) != count:
        raise ValueError(f"got {len(normalized)} colors for {count} instances; give one each")
    seen: set[str] = set()
    for color in normalized:
        if color in seen:
            raise ValueError(f"instance color {color} is used twice; colors must be unique")
        seen.add(color)
    return normalized


def check_instances(
    labels: Sequence[str], colors: Sequence[str] | None
) -> tuple[list[str], list[str]]:
    """Validated labels and normalized colors (the sequence's next ones when None)."""
    labels = check_labels(labels)
    check_instance_count(len(labels))
    colors = next_colors(len(labels)) if colors is None else _check_colors(colors, len(labels))
    return labels, colors


class Annotation:
    """Instances painted on one image: an id map plus one (label, color) per instance.

    `label_map[y, x]` is 0 for background and i for instance i (1-based), whose
    label is `labels[i-1]` and color `colors[i-1]`. Its dtype is uint8 up to
    255 instances and uint16 beyond. Instances with no pixels are allowed.
    """

    __slots__ = ("_colors", "_label_map", "_labels")

    def __init__(
        self,
        label_map: np.ndarray,
        labels: Sequence[str],
        colors: Sequence[str] | None = None,
    ) -> None:
        labels, colors = check_instances(labels, colors)
        array = np.asarray(label_map)
        if array.ndim != 2:
            raise ValueError(f"label_map must be 2-D (height, width), got shape {array.shape}")
        if array.dtype.kind == "b" or array.dtype.kind not in "ui":
            raise TypeError(f"label_map must hold integer instance ids, got dtype {array.dtype}")
        if array.size and (int(array.min()) < 0 or int(array.max()) > len(labels)):
            raise ValueError(
                f"label_map holds ids {int(array.min())}..{int(array.max())} but there are "
                f"{len(labels)} instances; ids must be 0 (background) to {len(labels)}"
            )
        array = array.astype(id_dtype(len(labels)), copy=True)
        array.flags.writeable = False  # values are shared and cached; never mutated
        self._label_map = array
        self._labels = tuple(labels)
        self._colors = tuple(colors)

    @classmethod
    def _trusted(
        cls, label_map: np.ndarray, labels: Sequence[str], colors: Sequence[str]
    ) -> Annotation:
        """Without the checks, for maps this package made (ids in range, the dtype,
        labels and colors already checked): `label_map` is taken as is, not copied."""
        annotation = cls.__new__(cls)
        label_map.flags.writeable = False
        annotation._label_map = label_map
        annotation._labels = tuple(labels)
        annotation._colors = tuple(colors)
        return annotation

    # ------------------------------------------------------------ constructors

    @classmethod
    def empty(cls, width: int, height: int) -> Annotation:
        """No instances: every pixel background."""
        return cls(np.zeros((height, width), np.uint8), [])

    @classmethod
    def from_label_map(
        cls, label_map: np.ndarray, labels: Sequence[str], colors: Sequence[str] | None = None
    ) -> Annotation:
        """From an (H, W) id map (0 background, i = labels[i-1]); same as the constructor."""
        return cls(label_map, labels, colors)

    @classmethod
    def from_class_map(
        cls, class_map: np.ndarray, classes: Sequence[str], *, split_components: bool = False
    ) -> Annotation:
        """From a semantic map (0 background, k = classes[k-1]): one instance per class present.

        With `split_components=True`, each 4-connected region of a class becomes its
        own instance (needs scipy: `pip install 'crowdseg-widget[predictions]'`).
        Instances are ordered by class, then by the region's first pixel.
        """
        from .formats.masks import annotation_from_class_map

        return annotation_from_class_map(class_map, classes, split_components=split_components)

    @classmethod
    def from_masks(
        cls,
        masks: np.ndarray | Sequence[np.ndarray],
        labels: Sequence[str],
        colors: Sequence[str] | None = None,
        *,
        scores: Sequence[float] | np.ndarray | None = None,
    ) -> Annotation:
        """From (N, H, W) binary masks (bool or 0/1).

        Where masks overlap, the higher score wins; without scores (or on equal
        scores) the later mask wins.
        """
        from .formats.masks import annotation_from_masks

        return annotation_from_masks(masks, labels, colors, scores=scores)

    @classmethod
    def from_value(
        cls, value: Mapping[str, Any], size: tuple[int, int] | None = None
    ) -> Annotation:
        """Parse a SageMaker value (or an `initial_value` form); see `formats/sagemaker.py`."""
        from .formats.sagemaker import annotation_from_value

        return annotation_from_value(value, size)

    def to_value(self) -> dict[str, Any]:
        """The SageMaker value: inputImageProperties, instances, labeledImage (docs/format.md)."""
        from .formats.sagemaker import annotation_to_value

        return annotation_to_value(self)

    # ------------------------------------------------------------ edits (new values)

    def _checked_id(self, instance: int) -> int:
        if isinstance(instance, bool) or not isinstance(instance, (int, np.integer)):
            raise TypeError(
                f"instance {instance!r} is a {type(instance).__name__}; give an instance id "
                f"(an int, 1..{self.num_instances})"
            )
        if not 1 <= instance <= self.num_instances:
            raise ValueError(
                f"instance {instance!r} does not exist; ids are 1..{self.num_instances}"
            )
        return int(instance)

    def with_instance(self, label: str, color: str, mask: np.ndarray | None = None) -> Annotation:
        """A copy with one more instance (last id), painted over others where `mask` is set."""
        check_instance_count(self.num_instances + 1)
        label_map = self._label_map.astype(id_dtype(self.num_instances + 1))
        if mask is not None:
            mask = np.asarray(mask)
            if mask.shape != label_map.shape:
                raise ValueError(
                    f"mask has shape {mask.shape} but the image is {self.width}x{self.height} "
                    f"(expected shape {label_map.shape})"
                )
            label_map[binary_mask(mask, "mask")] = self.num_instances + 1
        return Annotation(label_map, [*self._labels, label], [*self._colors, color])

    def without_instance(self, instance: int) -> Annotation:
        """A copy with `instance` removed: its pixels turn background, later ids move down."""
        removed = self._checked_id(instance)
        lut = np.arange(self.num_instances + 1)
        lut[removed] = 0
        lut[removed + 1 :] -= 1
        labels = [lab for i, lab in enumerate(self._labels, 1) if i != removed]
        colors = [c for i, c in enumerate(self._colors, 1) if i != removed]
        return Annotation(lut[self._label_map], labels, colors)

    def fill_holes(self, instance: int | None = None) -> Annotation:
        """A copy with each instance's holes (or only `instance`'s) filled where background."""
        from .cleanup import fill_holes

        return fill_holes(self, instance)

    def remove_small(self, min_pixels: int, instance: int | None = None) -> Annotation:
        """A copy without regions of fewer than `min_pixels` pixels (every instance, or one)."""
        from .cleanup import remove_small

        return remove_small(self, min_pixels, instance)

    def relabeled(self, instance: int, label: str) -> Annotation:
        """A copy with `instance` given another label (same pixels, same color)."""
        index = self._checked_id(instance) - 1
        labels = [*self._labels]
        labels[index] = label
        return Annotation(self._label_map, labels, self._colors)

    # ------------------------------------------------------------ views

    @property
    def label_map(self) -> np.ndarray:
        """(H, W) ids: 0 background, i instance i (1-based); uint8 up to 255 instances, else uint16.

        Read-only: edit through `with_instance`, `relabeled`, `without_instance` and the like.
        """
        return self._label_map

    @property
    def labels(self) -> list[str]:
        """The label of each instance, in instance order (a new list)."""
        return list(self._labels)

    @property
    def colors(self) -> list[str]:
        """Each instance's `#rrggbb` color, in instance order (a new list)."""
        return list(self._colors)

    @property
    def instances(self) -> list[dict[str, str]]:
        """The SageMaker value's `instances`: one `{"color", "label"}` per instance, in order."""
        return [
            {"color": c, "label": lab} for lab, c in zip(self._labels, self._colors, strict=True)
        ]

    @property
    def width(self) -> int:
        """The image width in pixels (the label map's columns)."""
        return int(self._label_map.shape[1])

    @property
    def height(self) -> int:
        """The image height in pixels (the label map's rows)."""
        return int(self._label_map.shape[0])

    @property
    def num_instances(self) -> int:
        """How many instances there are, painted or not."""
        return len(self._labels)

    @property
    def masks(self) -> np.ndarray:
        """(N, H, W) bool, one mask per instance (empty for unpainted instances).

        N images in memory: for many instances on a large image prefer
        `instance_masks` (one mask at a time, or cropped to each box)."""
        return np.asarray(self.instance_masks)

    @property
    def instance_masks(self) -> InstanceMasks:
        """The masks lazily: `instance_masks[k]` is instance k + 1's (H, W) bool mask,
        made when read; `.crop(k)` / `.cropped()` cut them to each instance's box."""
        return InstanceMasks(self._label_map, self.num_instances)

    def class_map(self, classes: Sequence[str]) -> np.ndarray:
        """(H, W) semantic map: 0 background, k where the instance's label is classes[k-1]."""
        classes = list(classes)
        missing = sorted(set(self._labels) - set(classes))
        if missing:
            raise ValueError(f"labels {missing} are not in classes {classes}")
        index = {name: k + 1 for k, name in enumerate(classes)}
        lut = np.array([0, *(index[lab] for lab in self._labels)], id_dtype(len(classes)))
        class_map: np.ndarray = lut[self._label_map]
        return class_map

    # ------------------------------------------------------------ value semantics

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Annotation):
            return NotImplemented
        return (
            self._labels == other._labels
            and self._colors == other._colors
            and np.array_equal(self._label_map, other._label_map)
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking arrays: not hashable

    def __repr__(self) -> str:
        counts = np.bincount(self._label_map.ravel(), minlength=self.num_instances + 1)[1:]
        parts = ", ".join(
            f"{lab!r} {c} ({n} px)"
            for lab, c, n in zip(self._labels, self._colors, counts, strict=True)
        )
        return f"Annotation({self.width}x{self.height}, [{parts}])"

    # ------------------------------------------------------------ training formats

    @property
    def areas(self) -> np.ndarray:
        """(N,) int64 pixel count per instance (0 for unpainted ones)."""
        return instance_areas(self._label_map, self.num_instances)

    @property
    def boxes(self) -> np.ndarray:
        """(N, 4) int64 `[x0, y0, x1, y1]` per instance; x1, y1 exclusive; zeros if unpainted.

        A single pixel at (3, 5) is `[3, 5, 4, 6]`; `x1 - x0` is COCO's bbox width.
        torchvision's `masks_to_boxes` is inclusive: subtract 1 from x1 and y1 to match it.
        """
        return instance_boxes(self._label_map, self.num_instances)

    def to_coco(
        self, image_id: int, category_ids: Mapping[str, int], *, first_id: int = 1
    ) -> list[dict[str, Any]]:
        """COCO annotations (RLE) for the painted instances, ids first_id, first_id+1, ...

        Unpainted instances are left out (COCO tools reject empty masks). Needs
        `pip install 'crowdseg-widget[coco]'`; see `formats/coco.py`.
        """
        from .formats.coco import annotation_to_coco

        return annotation_to_coco(self, image_id, category_ids, first_id=first_id)

    @classmethod
    def from_coco(
        cls,
        annotations: Iterable[Mapping[str, Any]],
        *,
        height: int,
        width: int,
        categories: Mapping[int, str] | Sequence[Mapping[str, Any]],
    ) -> Annotation:
        """From COCO annotations of one image (RLE or polygon segmentations).

        `categories` maps category ids to names (or is COCO's categories list).
        Overlaps as in `from_masks`: by "score" when every annotation has one,
        else the later wins. Colors: the palette's, in order.
        """
        from .formats.coco import annotation_from_coco

        return annotation_from_coco(annotations, height=height, width=width, categories=categories)

    def to_polygons(self) -> list[list[list[float]]]:
        """Per instance, COCO polygons `[[x0, y0, x1, y1, ...], ...]` along pixel edges.

        One polygon per 4-connected region; vertices are pixel corners, so
        pycocotools rasterizes them back to exactly these pixels. Holes are filled
        (with a warning: COCO polygons cannot subtract). Needs rasterio:
        `pip install 'crowdseg-widget[polygons]'`; see `formats/polygons.py`.
        """
        from .formats.polygons import instance_polygons

        return instance_polygons(self._label_map, self._labels)

    def overlay(self, image: Any, opacity: float = 0.5, *, outline: bool = False) -> Image.Image:
        """A PIL image: `image` (any `src` form, this annotation's size) with the colors blended.

        Exact integer blend, see `overlay.py`; `outline=True` colors edge pixels only.
        """
        return overlay_image(self._label_map, self._colors, image, opacity, outline=outline)

    def _repr_png_(self) -> bytes | None:
        """The instance colors on white, for `display(annotation)` (large ones downscaled)."""
        return preview_png(self._label_map, self._colors)
