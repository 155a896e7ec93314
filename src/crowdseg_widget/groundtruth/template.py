"""The worker template: a Liquid HTML page around `<crowd-instance-segmentation>`.

Labels, header and instructions are baked in by Python (HTML-escaped; text
with a Liquid delimiter is refused, see rules.py); only the image and the
pre-annotation come from `task.input`, escaped by Ground Truth's filters. The
pre-annotation goes into `initial-value` in single quotes, so its JSON
double quotes need no escaping beyond `escape`'s.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence

from .errors import GroundTruthError
from .rules import check_labels, check_template_text

#: Manifest key of the pre-annotation: {"instances": [...], "src-ref": "s3://..."}.
INITIAL_FIELD = "crowdseg-initial"
#: Form input that carries the labels a worker added (allow_new_labels=True), as JSON.
ADDED_LABELS_INPUT = "crowdseg-added-labels"
_ELEMENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")

_SOURCES = {
    # without a pre-annotation Lambda, task.input is the manifest line itself
    False: ("task.input['source-ref']", f"task.input['{INITIAL_FIELD}']"),
    # with ours (lambdas.pre_annotation_handler), taskObject and initialValue
    True: ("task.input.taskObject", "task.input.initialValue"),
}

_ADD_LABELS = """
      <div class="crowdseg-add-label">
        <h3>Add a label</h3>
        <crowd-input id="crowdseg-new-label" label="New label"></crowd-input>
        <crowd-button id="crowdseg-add">Add label</crowd-button>
        <div id="crowdseg-added"></div>
        <crowd-input name="ADDED" id="crowdseg-added-json" value="[]" hidden></crowd-input>
      </div>"""

# Plain DOM: the worker's text goes in as textContent, never as HTML.
_ADD_LABELS_SCRIPT = """
<script>
  document.addEventListener('all-crowd-elements-ready', function () {
    var tool = document.getElementById('crowdseg-tool');
    var field = document.getElementById('crowdseg-new-label');
    var list = document.getElementById('crowdseg-added');
    var store = document.getElementById('crowdseg-added-json');
    var fixed = tool.labels.slice();
    var added = [];
    function show() {
      list.textContent = '';
      added.forEach(function (label) {
        var row = document.createElement('div');
        row.textContent = label + ' ';
        var remove = document.createElement('a');
        remove.href = 'javascript:void(0)';
        remove.textContent = '(Delete)';
        remove.onclick = function () {
          added = added.filter(function (other) { return other !== label; });
          tool.labels = fixed.concat(added);
          show();
        };
        row.appendChild(remove);
        list.appendChild(row);
      });
      store.value = JSON.stringify(added);
    }
    document.getElementById('crowdseg-add').onclick = function () {
      var label = (field.value || '').trim();
      if (label && tool.labels.indexOf(label) < 0) {
        added.push(label);
        tool.labels = fixed.concat(added);
      }
      field.value = '';
      show();
    };
  });
</script>"""


def check_element_name(name: object) -> str:
    """The element's `name` (the key of its answer): letters, digits, `_`, `-`."""
    if not isinstance(name, str) or not _ELEMENT_NAME.fullmatch(name):
        raise GroundTruthError(
            f"element name {name!r} must be 1-64 letters, digits, '_' or '-' starting with a "
            "letter or '_' (it is the key of the answer), e.g. 'crowdseg'"
        )
    return name


def write_template(
    labels: Sequence[str],
    *,
    name: str = "crowdseg",
    header: str = "Please label each of the requested objects in this image",
    short_instructions: str = "",
    full_instructions: str = "",
    with_pre_lambda: bool = False,
    allow_new_labels: bool = False,
    allow_background_label: bool = False,
) -> str:
    """The Liquid worker template (`<name>.liquid.html`) for these labels.

    `short_instructions` and `full_instructions` are HTML, as in the
    element's regions. Without a pre-annotation Lambda the template reads the
    manifest line (`source-ref`, `crowdseg-initial`); `with_pre_lambda=True`
    reads what `pre_annotation_handler` returns (`taskObject`, `initialValue`).
    `allow_new_labels=True` adds the element's "add your own labels" variant:
    an Add field, a Delete link per added label, and a form input
    `crowdseg-added-labels` that submits them (JSON). Raises GroundTruthError
    for bad labels (rules.check_labels), a bad element name, or text with
    Liquid delimiters.
    """
    labels = check_labels(labels, allow_background_label=allow_background_label)
    name = check_element_name(name)
    header = check_template_text(header, "header")
    short_instructions = check_template_text(short_instructions, "short_instructions")
    full_instructions = check_template_text(full_instructions, "full_instructions")
    image, initial = _SOURCES[bool(with_pre_lambda)]
    initial_value = (
        f'{{% if {initial} %}}    initial-value=\'{{"instances": '
        f'{{{{ {initial}.instances | to_json | escape }}}}, "src": '
        f"\"{{{{ {initial}['src-ref'] | grant_read_access }}}}\"}}'\n{{% endif %}}"
    )
    adder = _ADD_LABELS.replace("ADDED", ADDED_LABELS_INPUT) if allow_new_labels else ""
    return (
        '<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>\n'
        "<crowd-form>\n"
        "  <crowd-instance-segmentation\n"
        '    id="crowdseg-tool"\n'
        f'    name="{name}"\n'
        f'    src="{{{{ {image} | grant_read_access }}}}"\n'
        f"{initial_value}"
        f'    header="{html.escape(header)}"\n'
        f'    labels="{html.escape(json.dumps(labels, ensure_ascii=False))}"\n'
        "  >\n"
        f'    <full-instructions header="Instructions">{full_instructions}</full-instructions>\n'
        f"    <short-instructions>{short_instructions}{adder}\n    </short-instructions>\n"
        "  </crowd-instance-segmentation>\n"
        "</crowd-form>\n"
        f"{_ADD_LABELS_SCRIPT if allow_new_labels else ''}"
    )


def write_label_categories(labels: Sequence[str], *, allow_background_label: bool = False) -> bytes:
    """The label category file (`LabelCategoryConfigS3Uri`), checked like the template's."""
    labels = check_labels(labels, allow_background_label=allow_background_label)
    document = {"document-version": "2018-11-28", "labels": [{"label": lab} for lab in labels]}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
