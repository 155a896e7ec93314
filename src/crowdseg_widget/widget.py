"""`InstanceSegmentation`: the anywidget, a thin layer of traits over `Annotation`."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from .annotation import Annotation
from .assist.binding import AssistBinding, AssistTrait
from .assist.runner import Assist
from .formats.predictions import annotation_from_predictions
from .formats.sagemaker import normalized_value
from .image_source import MESSAGE_LIMIT, ImageSource, load_image_source
from .instance_masks import InstanceMasks
from .labels import Labels, parse_labels
from .live_map import LiveLabelMap
from .palette import next_colors
from .review import Review, review

_STATIC = Path(__file__).parent / "static"
_MISSING_BUNDLE = """
export default { render({ el }) {
  el.textContent = "crowdseg-widget: the front end is not built. Run `pip install -e .` "
    + "(or `npm install && npm run build`) in the project folder.";
} };
"""


def _bundle(name: str, fallback: str) -> Path | str:
    path = _STATIC / name
    return path if path.exists() else fallback


def _starting_annotation(
    image: ImageSource, initial_value: Mapping[str, Any] | Annotation | None
) -> Annotation | None:
    """`initial_value` checked against the image; empty if not given; None if size unknown."""
    size = (image.width, image.height) if image.width else None
    if isinstance(initial_value, Annotation):
        if size is not None and (initial_value.width, initial_value.height) != size:
            raise ValueError(
                f"initial annotation is {initial_value.width}x{initial_value.height} but the "
                f"image is {size[0]}x{size[1]}"
            )
        return initial_value
    if initial_value is not None:
        return Annotation.from_value(initial_value, size)
    return Annotation.empty(*size) if size is not None else None


def _check_known_labels(initial: Annotation, labels: list[str]) -> None:
    """A starting instance's label must be one of `labels` (a typo would go unnoticed)."""
    unknown = sorted(set(initial.labels) - set(labels))
    if unknown:
        raise ValueError(
            f"initial_value has instances labeled {unknown}, which are not in labels "
            f"{labels}; add them to labels or relabel those instances"
        )


class _CurrentValue(traitlets.Dict):
    """`value` as read: the SageMaker value of what the kernel's label map holds.

    A view's patches reach the kernel before its PNG value; a read in between
    builds the value from the patched map (once per state), so `value` is never
    the one before the stroke.
    """

    def get(self, obj: Any, cls: Any = None) -> Any:
        stored = super().get(obj, cls)
        live = getattr(obj, "_live", None) if obj is not None else None
        if isinstance(live, LiveLabelMap) and live.ahead and live.current:
            return obj._live_value()
        return stored


class InstanceSegmentation(anywidget.AnyWidget):
    """Paint one instance mask per object, as in SageMaker's <crowd-instance-segmentation>.

    `value` is the SageMaker output value; `annotation`, `masks` and
    `label_map` decode it (lazily, cached per value).
    """

    _esm = _bundle("widget.js", _MISSING_BUNDLE)
    _css = _bundle("widget.css", "")

    #: The line shown above the image (the element's `header`); plain text.
    header = traitlets.Unicode("").tag(sync=True)
    #: The label choices (a list, or the template's string forms); the open view follows.
    labels = Labels().tag(sync=True)
    #: The key of `output`: `w.output == {name: w.value}`, as `<crowd-form>` submits it.
    name = traitlets.Unicode("annotatedResult").tag(sync=True)
    #: The labeler may add labels in the panel ("Add label") and delete ones no instance
    #: uses; `labels` follows what the view writes (docs/widget.md).
    allow_new_labels = traitlets.Bool(False).tag(sync=True)
    #: HTML shown beside the image (`<short-instructions>`); escape untrusted text yourself.
    short_instructions = traitlets.Unicode("").tag(sync=True)
    #: HTML behind the "Full instructions" button (`<full-instructions>`).
    full_instructions = traitlets.Unicode("").tag(sync=True)

    _image_data = traitlets.Bytes(b"").tag(sync=True)
    _image_mime = traitlets.Unicode("").tag(sync=True)
    _image_url = traitlets.Unicode("").tag(sync=True)
    #: A hash of `_image_data` and its MIME type: a view that decoded those bytes ahead
    #: (a dataset session's `_prefetch`) shows that decode; "" for a URL.
    _image_key = traitlets.Unicode("").tag(sync=True)
    #: The image size in pixels (EXIF orientation applied); 0 until known for a URL `src`.
    image_width = traitlets.Int(0).tag(sync=True)
    #: The image height in pixels; see `image_width`.
    image_height = traitlets.Int(0).tag(sync=True)

    #: The SageMaker value (docs/format.md); {} until the image size is known.
    value = _CurrentValue().tag(sync=True, echo_update=False)
    #: Bumped with every `value` Python sets itself: a view's patches name the one they start from.
    _value_origin = traitlets.Int(0).tag(sync=True)
    _sync_error = traitlets.Unicode("").tag(sync=True)
    #: The server's websocket message limit in bytes: a value whose message would be
    #: larger is kept in the view and reported in `_sync_error` instead of sent. Raise
    #: it together with the server's `websocket_max_message_size` (docs/widget.md,
    #: "Errors and the message limit").
    message_limit = traitlets.Int(MESSAGE_LIMIT).tag(sync=True)
    #: Every color this image has used, so no view reuses a deleted instance's color.
    _used_colors = traitlets.List(traitlets.Unicode()).tag(sync=True)
    #: Review state per starting instance, by color, as set in the view.
    review_states = traitlets.Dict().tag(sync=True)
    #: The starting annotation's SageMaker value, for the view's review states and
    #: "show changes"; {} when there is nothing to review (no starting instances).
    _initial_value = traitlets.Dict().tag(sync=True)
    #: Bumped by `set_image`: views load the new image (even one with the same bytes).
    _image_serial = traitlets.Int(0).tag(sync=True)

    #: `assist(image, prompt) -> mask | [(mask, score)]` behind the view's model tools and
    #: `auto_segment` / `segment` (docs/assist.md); None: those tools are disabled.
    assist = AssistTrait()
    #: Why the last assist call failed; cleared by the next success.
    assist_error = traitlets.Unicode("")
    _assist_available = traitlets.Bool(False).tag(sync=True)

    #: The last value checked and its annotation (`_validated`).
    _checked: tuple[dict[str, Any], Annotation] | None = None

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> dict[str, Any]:
        value: Any = proposal["value"]
        checked = self._validated(value, self.image_width, self.image_height)
        if not self._from_view:
            # A value Python sets itself starts a new origin (a view's continues its own).
            self._value_origin += 1
            known = self._checked[1] if checked and self._checked is not None else None
            self._live.python_value(self._value_origin, known)
        return checked

    def _validated(self, value: Any, width: int, height: int) -> dict[str, Any]:
        """Every value is decoded once, as it arrives (from Python or a view), by
        `Annotation.from_value`'s rules: nothing invalid is ever stored, and the
        decoded annotation is kept for `annotation`. `{}`: no image size yet."""
        if isinstance(value, dict) and not value:
            return {}
        size = (width, height) if width else None
        checked = self._checked
        if (
            checked is not None
            and (checked[0] is value or checked[0] == value)
            and (size is None or (checked[1].width, checked[1].height) == size)
        ):
            return checked[0]
        self._checked = normalized_value(value, size)
        return self._checked[0]

    @traitlets.validate("message_limit")
    def _check_message_limit(self, proposal: dict[str, Any]) -> int:
        limit = proposal["value"]
        if limit < 2**20:
            raise traitlets.TraitError(
                f"message_limit must be at least 1 MiB ({2**20} bytes), got {limit}"
            )
        return int(limit)

    def __init__(
        self,
        src: Any,
        labels: Any,
        *,
        header: str = "",
        name: str = "annotatedResult",
        short_instructions: str = "",
        full_instructions: str = "",
        initial_value: Mapping[str, Any] | Annotation | None = None,
        assist: Assist | None = None,
        **kwargs: Any,
    ) -> None:
        image = load_image_source(src)
        if len(image.data) > MESSAGE_LIMIT:
            warnings.warn(
                f"the image is {len(image.data) / 2**20:.1f} MiB encoded, over Jupyter's "
                "default 10 MiB message limit; the notebook may fail to show it. Save it "
                "as a smaller JPEG/PNG, or raise ServerApp.tornado_settings' "
                "websocket_max_message_size.",
                stacklevel=2,
            )
        initial = _starting_annotation(image, initial_value)
        if initial is not None:
            _check_known_labels(initial, parse_labels(labels))
        start = initial.to_value() if initial is not None else {}
        self._checked = (start, initial) if initial is not None else None
        self._live = LiveLabelMap()
        self._from_view = False
        self._change_callbacks: list[Callable[[Annotation], object]] = []
        self._announced: object = None
        self._patch_refused = ""  # why the last patch could not be applied (warned once)
        for key, text in [("header", header), ("name", name),
                          ("short_instructions", short_instructions),
                          ("full_instructions", full_instructions)]:  # fmt: skip
            if not isinstance(text, str):
                raise TypeError(f"{key} must be a string, got {type(text).__name__}")
        super().__init__(
            labels=labels,
            header=header,
            name=name,
            short_instructions=short_instructions,
            full_instructions=full_instructions,
            _image_data=image.data,
            _image_mime=image.mime,
            _image_url=image.url,
            _image_key=image.key,
            image_width=image.width or (initial.width if initial is not None else 0),
            image_height=image.height or (initial.height if initial is not None else 0),
            value=start,
            _initial_value=dict(start) if initial is not None and initial.num_instances else {},
            assist=assist,
            **kwargs,
        )
        self._initial_annotation = initial
        self._assist = AssistBinding(self)
        self._built_value: tuple[object, dict[str, Any]] | None = None
        self.observe(self._remember_colors, "value")
        self.observe(self._value_arrived, "value")
        self._remember_colors({"new": self._stored_value})

    def _remember_colors(self, change: dict[str, Any]) -> None:
        colors = [str(i.get("color", "")).lower() for i in change["new"].get("instances", [])]
        new = [c for c in dict.fromkeys(colors) if c not in self._used_colors]
        if new:
            self._used_colors = [*self._used_colors, *new]

    @classmethod
    def from_predictions(
        cls,
        src: Any,
        masks: Any,
        labels: Sequence[str] | Sequence[int] | np.ndarray,
        scores: Sequence[float] | np.ndarray | None = None,
        score_threshold: float | None = None,
        *,
        classes: Sequence[str] | None = None,
        mask_threshold: float = 0.5,
        **widget_kwargs: Any,
    ) -> InstanceSegmentation:
        """A widget that starts from a model's predicted masks, for review.

        `masks`: (N, H, W) bool, 0/1, uint8 or float probabilities (pixel >
        `mask_threshold`). `labels`: one string per mask, or 0-based indices
        into `classes`. Instances scoring below `score_threshold` are left out;
        overlaps go to the higher score (without scores, the later mask). The
        widget's label choices are `classes` when given, else the predicted
        labels in order of first appearance.
        """
        initial = annotation_from_predictions(
            masks,
            labels,
            scores=scores,
            score_threshold=score_threshold,
            classes=classes,
            mask_threshold=mask_threshold,
        )
        choices = list(classes) if classes else list(dict.fromkeys(initial.labels))
        return cls(src, choices or ["object"], initial_value=initial, **widget_kwargs)

    # ------------------------------------------------------------ reading the result

    @property
    def output(self) -> dict[str, Any]:
        """What the SageMaker element submits: `{name: value}`."""
        return {self.name: self.value}

    def _browser_trouble(self) -> str:
        """What `_sync_error` says about the browser's sending (subclasses may put
        their own trouble there too, e.g. a failed save, which is not the browser's)."""
        return self._sync_error

    @property
    def _stored_value(self) -> dict[str, Any]:
        """The `value` trait as it arrived (the view's PNG, or Python's own)."""
        stored: dict[str, Any] = self._trait_values.get("value", {})
        return stored

    def _live_value(self) -> dict[str, Any]:
        """The SageMaker value of the kernel's label map (encoded here once per state)."""
        live = self._live
        state = (live.origin, live.view, live.seq)
        if self._built_value is None or self._built_value[0] != state:
            self._built_value = (state, live.annotation().to_value())
        return self._built_value[1]

    @property
    def annotation(self) -> Annotation:
        """The current annotation: the kernel's label map as of the view's last action
        (its patches arrive ahead of the PNG value), else the value decoded once."""
        if self._live.current:
            if not self._live.ahead:  # the patches did not bring the latest painting either
                self._warn_sync_error()
            return self._live.annotation()
        return self._decoded()

    @annotation.setter
    def annotation(self, annotation: Annotation) -> None:
        self.set_annotation(annotation)

    def _warn_sync_error(self) -> None:
        trouble = self._browser_trouble()
        if trouble:
            warnings.warn(
                f"the browser could not send the latest painting ({trouble}); "
                "this is the last value that arrived. Nothing is lost in the browser.",
                stacklevel=3,
            )

    def _decoded(self) -> Annotation:
        """The `value` trait decoded (once per value)."""
        value = self._stored_value
        if not value:
            raise ValueError(
                "no annotation yet: the image size is unknown until the browser has loaded "
                f"{self._image_url or 'the image'}; display the widget first"
            )
        self._warn_sync_error()
        if self._checked is None or self._checked[0] is not value:
            size = (self.image_width, self.image_height) if self.image_width else None
            self._checked = normalized_value(value, size)
        return self._checked[1]

    def set_annotation(self, annotation: Annotation) -> None:
        """Replace what is painted; every open view follows."""
        if not isinstance(annotation, Annotation):
            raise TypeError(f"expected an Annotation, got {type(annotation).__name__}")
        if self.image_width and (annotation.width, annotation.height) != (
            self.image_width,
            self.image_height,
        ):
            raise ValueError(
                f"annotation is {annotation.width}x{annotation.height} but the image is "
                f"{self.image_width}x{self.image_height}"
            )
        value = annotation.to_value()
        self._checked = (value, annotation)  # our own encoding: no decode to check it
        self.value = value

    def set_image(
        self, src: Any, *, initial_value: Mapping[str, Any] | Annotation | None = None
    ) -> None:
        """Show another image, starting from `initial_value` (default: empty); every open
        view follows, with a fresh undo history.

        A view's stroke that reaches Python after the change is never applied to
        the new image: it goes to `_late_value` (docs/architecture.md).
        """
        image = load_image_source(src)
        initial = _starting_annotation(image, initial_value)
        if initial is not None:
            _check_known_labels(initial, list(self.labels))
        start = initial.to_value() if initial is not None else {}
        with self.hold_sync():
            self._used_colors = []
            self._image_data = image.data
            self._image_mime = image.mime
            self._image_url = image.url
            self._image_key = image.key
            self.image_width = image.width or (initial.width if initial is not None else 0)
            self.image_height = image.height or (initial.height if initial is not None else 0)
            self.review_states = {}
            self._initial_value = start if initial is not None and initial.num_instances else {}
            self._sync_error = ""
            if initial is not None:
                self._checked = (start, initial)
            self.value = start
            self._image_serial += 1
        self._initial_annotation = initial

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """A state update from a view. A `value` painted on an earlier image (its
        `_value_image` is not the current `_image_serial`) is not applied."""
        data = dict(sync_data)
        image = data.pop("_value_image", None)
        rescued = data.pop("_rescued_value", None)
        patches = data.pop("_patches", None)
        self._value_source = data.pop("_value_patch", None)
        if "value" in data and isinstance(image, int) and image != self._image_serial:
            self._checked_late_value(image, data.pop("value"))
        if isinstance(rescued, dict) and isinstance(rescued.get("image"), int):
            self._checked_late_value(rescued["image"], rescued.get("value"))
        refused = ""
        if data.get("value"):
            width = data.get("image_width", self.image_width)
            height = data.get("image_height", self.image_height)
            try:
                data["value"] = self._validated(data["value"], width, height)
            except (TypeError, ValueError) as err:
                refused = str(err)
                del data["value"]
        self._from_view = True
        try:
            if "value" in data:
                self._live.view_value(self._value_source)
            super().set_state(data)
        finally:
            self._from_view = False
        if refused:
            self._refuse_view_value(refused)
        if isinstance(patches, dict) and patches.get("image") == self._image_serial:
            self._apply_patches(patches)

    def _refuse_view_value(self, reason: str) -> None:
        """A value from a view that does not pass `_check_value`: kept out, said in both."""
        self._sync_error = f"Python could not accept the latest painting ({reason})"
        warnings.warn(f"the view sent a value Python cannot accept ({reason})", stacklevel=3)

    def _checked_late_value(self, image: int, value: Any) -> None:
        try:
            checked = normalized_value(value)[0] if value else value
        except (TypeError, ValueError) as err:
            warnings.warn(f"a value sent for an earlier image was refused ({err})", stacklevel=3)
            return
        self._late_value(image, checked)

    def _apply_patches(self, patches: dict[str, Any]) -> None:
        """A view's actions since its last value: the label map follows them now."""
        try:
            changed = self._live.apply(patches, self._decoded)
        except ValueError as err:
            if not self._patch_refused:  # once: a host that mangles them would say it per stroke
                warnings.warn(
                    f"a view's patch could not be applied ({err}); the label map follows its "
                    "values instead",
                    stacklevel=2,
                )
            self._patch_refused = str(err)
            self._live.view_value(None)
            return
        if changed:
            self._announce()

    def _value_arrived(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self._announce()

    def _announce(self) -> None:
        """`on_change` callbacks, once per state of the annotation (a patch, then the value
        holding the same action, is one change)."""
        live = self._live
        state: object = (live.origin, live.view, live.seq)
        if live.view is None:
            state = id(self._stored_value)
        if state == self._announced or not self._change_callbacks:
            self._announced = state
            return
        self._announced = state
        annotation = self.annotation
        for callback in list(self._change_callbacks):
            callback(annotation)

    def _late_value(self, image: int, value: Any) -> None:
        """A stroke on an image shown before `set_image` (number `image`) arrived late."""
        warnings.warn(
            "a stroke made on the previous image reached Python after set_image(); "
            "it was not applied to the new image",
            stacklevel=2,
        )

    # ------------------------------------------------------------ editing from Python

    def _label_choice(self, label: str) -> str:
        if label not in self.labels:
            raise ValueError(f"label {label!r} is not one of the labels {self.labels}")
        return label

    def add_instance(self, label: str, mask: np.ndarray | None = None) -> int:
        """Add an instance of `label` (painted where `mask` is True); returns its id."""
        annotation = self.annotation
        color = next_colors(1, used=[*self._used_colors, *annotation.colors])[0]
        self.set_annotation(annotation.with_instance(self._label_choice(label), color, mask))
        return annotation.num_instances + 1

    def remove_instance(self, instance: int) -> None:
        """Delete instance `instance` (1-based); its pixels return to background."""
        self.set_annotation(self.annotation.without_instance(instance))

    def relabel(self, instance: int, label: str) -> None:
        """Give instance `instance` (1-based) another label."""
        self.set_annotation(self.annotation.relabeled(instance, self._label_choice(label)))

    def clear(self) -> None:
        """Remove every instance."""
        self.set_annotation(Annotation.empty(self.image_width, self.image_height))

    def auto_segment(
        self, extreme_points: Sequence[tuple[float, float]], label: str | None = None
    ) -> int:
        """Add the object through four extreme points `(x, y)` (any order) as an instance of
        `label` (default: the first label), drawn by `assist`; returns its 1-based id.
        `AssistError` (also in `assist_error`) when the assist fails or finds nothing."""
        return self._assist.add_instance({"extreme_points": extreme_points}, label)

    def segment(
        self,
        points: Sequence[tuple[float, float, bool]] = (),
        box: tuple[float, float, float, float] | None = None,
        label: str | None = None,
    ) -> int:
        """Add the object at clicks `(x, y, positive)` and/or a `box` (x0, y0, x1, y1; x1, y1
        exclusive) as an instance of `label`, drawn by `assist`; returns its 1-based id."""
        return self._assist.add_instance({"points": points, "box": box}, label)

    def on_change(self, callback: Callable[[Annotation], object]) -> None:
        """Call `callback(annotation)` whenever the annotation changes: once per finished
        stroke, as soon as its patch reaches the kernel (before its PNG value)."""

        self._change_callbacks.append(callback)

    @property
    def initial_annotation(self) -> Annotation | None:
        """The starting point (`initial_value`, or empty), or None before the size is known."""
        return self._initial_annotation

    @property
    def review(self) -> Review:
        """Per starting instance: state, IoU with its current mask, pixels added/removed;
        plus the instances created since."""
        current = self.annotation
        initial = self._initial_annotation
        if initial is None:  # a URL src without initial_value: started empty
            initial = Annotation.empty(current.width, current.height)
        return review(initial, current, self.review_states)

    @property
    def masks(self) -> np.ndarray:
        """(N, H, W) bool, one mask per instance, in creation order (see `instance_masks`)."""
        return self.annotation.masks

    @property
    def instance_masks(self) -> InstanceMasks:
        """The masks one at a time, made when read (`Annotation.instance_masks`): for many
        instances on a large image, where the (N, H, W) stack is N images in memory."""
        return self.annotation.instance_masks

    @property
    def label_map(self) -> np.ndarray:
        """(H, W) instance ids: 0 background, i = instance i (uint8, uint16 beyond 255)."""
        return self.annotation.label_map

    def to_html(self, *, title: str | None = None) -> str:
        """This widget (image and current annotation) as one HTML page that works without a
        kernel, offline: whoever opens it labels and clicks "Download result" (docs/hosts.md)."""
        from .static_page import page_html

        return page_html(self, title=title)

    def save_html(self, path: str | Path, *, title: str | None = None) -> Path:
        """Write `to_html()` to `path`; the page's download is named `<page name>.result.json`,
        read back with `crowdseg_widget.static_page.read_result(file)`."""
        from .static_page import save_page

        return save_page(self, path, title=title)
