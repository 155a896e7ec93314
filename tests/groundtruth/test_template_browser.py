"""The `allow_new_labels` template's script, run in headless Chromium.

AWS's crowd elements cannot be loaded offline, so the page gets minimal
stand-ins with the two properties the script uses (`labels` on the tool,
`value` on inputs); the script itself runs exactly as Ground Truth serves it.
"""

from __future__ import annotations

import pytest

from crowdseg_widget.groundtruth import write_template
from crowdseg_widget.groundtruth.template import ADDED_LABELS_INPUT

from .render import liquid

pytestmark = pytest.mark.browser

STAND_INS = """<script>
customElements.define('crowd-instance-segmentation', class extends HTMLElement {
  get labels() { return this._labels || JSON.parse(this.getAttribute('labels')); }
  set labels(value) { this._labels = value; }
});
customElements.define('crowd-input', class extends HTMLElement {
  get value() {
    return this._value !== undefined ? this._value : (this.getAttribute('value') || '');
  }
  set value(value) { this._value = value === null ? '' : String(value); }
});
customElements.define('crowd-button', class extends HTMLElement {});
customElements.define('crowd-form', class extends HTMLElement {});
</script>"""
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def page(browser):
    template = write_template(["Cat", "Dog"], allow_new_labels=True)
    html = liquid().from_string(template).render(task={"input": {"source-ref": "s3://b/a.png"}})
    html = html.replace(
        '<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>', STAND_INS
    )
    context = browser.new_context()
    page = context.new_page()
    page.set_content(html)
    page.evaluate("document.dispatchEvent(new Event('all-crowd-elements-ready'))")
    yield page
    context.close()


def add(page, label: str) -> None:
    page.evaluate("text => { document.getElementById('crowdseg-new-label').value = text; }", label)
    page.click("#crowdseg-add")


def state(page) -> tuple[list[str], list[str], list[str]]:
    """(the tool's labels, the submitted added labels, the rows shown)."""
    found = page.evaluate(
        """() => [
        document.getElementById('crowdseg-tool').labels,
        JSON.parse(document.getElementById('crowdseg-added-json').value),
        [...document.querySelectorAll('#crowdseg-added > div')].map(row => row.textContent),
    ]"""
    )
    return tuple(found)


def test_a_worker_adds_and_deletes_labels_and_the_form_submits_them(page):
    add(page, "  Zebra ")
    add(page, "Cat")  # already a label: ignored
    add(page, "")
    add(page, EVIL)
    assert state(page) == (
        ["Cat", "Dog", "Zebra", EVIL],
        ["Zebra", EVIL],
        ["Zebra (Delete)", f"{EVIL} (Delete)"],
    )
    assert page.evaluate("document.querySelectorAll('#crowdseg-added img').length") == 0
    assert page.evaluate("document.getElementById('crowdseg-new-label').value") == ""
    page.click("#crowdseg-added > div:first-child a")
    assert state(page) == (["Cat", "Dog", EVIL], [EVIL], [f"{EVIL} (Delete)"])
    name = page.evaluate("document.getElementById('crowdseg-added-json').getAttribute('name')")
    assert name == ADDED_LABELS_INPUT  # what WorkerAnnotation.added_labels reads back
