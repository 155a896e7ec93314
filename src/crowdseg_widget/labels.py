"""The `labels` attribute: a list of strings, or the template's string forms."""

from __future__ import annotations

import ast
import json
from typing import Any

from traitlets import HasTraits, TraitType

from .annotation import check_labels


def parse_labels(labels: Any) -> list[str]:
    """['Cat', 'Dog'] from a list, '["Cat", "Dog"]' (JSON) or "['Cat', 'Dog']"."""
    if isinstance(labels, str):
        text = labels.strip()
        try:
            labels = json.loads(text)
        except ValueError:
            try:
                labels = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                raise ValueError(
                    f"labels string {text!r} is not a list; write it as "
                    """'["Cat", "Dog"]' or "['Cat', 'Dog']" """.strip()
                ) from None
    labels = check_labels(labels, "label")
    if not labels:
        raise ValueError("labels must not be empty: give at least one label, e.g. ['Cat']")
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValueError(f"labels must be unique; repeated: {duplicates}")
    return list(labels)


class Labels(TraitType[list[str], Any]):
    """A trait that stores a list of labels and accepts the template's string forms."""

    info_text = "a list of label strings"

    def validate(self, obj: HasTraits | None, value: Any) -> list[str]:
        return parse_labels(value)
