"""`prepare_job`: the manifest, label categories, template and initial PNGs of a job."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from PIL import Image

from crowdseg_widget import Annotation, LabelStore
from crowdseg_widget.groundtruth import (
    GroundTruthError,
    pre_annotation_handler,
    prepare_job,
    validate_input_manifest,
    write_template,
)

from .bucket import BUCKET, box, photo, worker_annotation
from .render import initial_value, liquid

PREFIX = f"{BUCKET}crowdseg/job-1/"


@pytest.fixture
def store(tmp_path) -> LabelStore:
    images = tmp_path / "images"
    (images / "street").mkdir(parents=True)
    for i, name in enumerate(["a.png", "b.png", "street/c.png"]):
        (images / name).write_bytes(photo(i))
    labels = LabelStore(tmp_path / "labels", images)
    labels.set_labels(["Cat", "Dog"])
    painted = worker_annotation([(box(1, 1, 10, 10), "Cat"), (box(20, 20, 30, 40), "Dog")])
    labels.save("a.png", painted.to_value(), "done")
    labels.save("b.png", Annotation.empty(64, 48).to_value(), "open")
    return labels


def test_a_store_becomes_pre_annotated_and_plain_lines(store):
    job = prepare_job(store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX)
    lines = [json.loads(line) for line in job.manifest.decode().splitlines()]
    assert job.keys == ["a.png", "b.png", "street/c.png"]
    assert lines[1:] == [
        {"source-ref": f"{BUCKET}images/b.png", "crowdseg-key": "b.png"},
        {"source-ref": f"{BUCKET}images/street/c.png", "crowdseg-key": "street/c.png"},
    ]
    stored = store.decode(store.read("a.png"))
    assert lines[0] == {
        "source-ref": f"{BUCKET}images/a.png",
        "crowdseg-key": "a.png",
        "crowdseg-initial": {
            "instances": stored.instances,
            "src-ref": f"{PREFIX}initial/a.png.png",
        },
    }
    assert list(job.initial_pngs) == ["initial/a.png.png"]
    png = job.initial_pngs["initial/a.png.png"]
    assert Annotation.from_value({"instances": stored.instances, "src": png}) == stored
    assert json.loads(job.label_categories) == {
        "document-version": "2018-11-28",
        "labels": [{"label": "Cat"}, {"label": "Dog"}],
    }
    assert job.images[f"{BUCKET}images/street/c.png"] == store.image_path("street/c.png")
    validate_input_manifest(job.manifest)


def test_write_to_lays_the_files_out_like_the_upload_prefix(store, tmp_path):
    job = prepare_job(store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX.rstrip("/"))
    written = job.write_to(tmp_path / "bucket" / "crowdseg" / "job-1")
    names = sorted(p.relative_to(tmp_path / "bucket").as_posix() for p in written)
    assert names == [
        "crowdseg/job-1/crowdseg.liquid.html",
        "crowdseg/job-1/initial/a.png.png",
        "crowdseg/job-1/input.manifest",
        "crowdseg/job-1/label-categories.json",
    ]
    assert (tmp_path / "bucket/crowdseg/job-1/input.manifest").read_bytes() == job.manifest
    assert job.uri("input.manifest") == f"{PREFIX}input.manifest"


def test_a_list_of_images_needs_labels_and_gets_keys_from_its_folder(store):
    paths = [store.image_path("a.png"), store.image_path("street/c.png")]
    with pytest.raises(GroundTruthError, match="labels= is needed"):
        prepare_job(paths, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX)
    job = prepare_job(
        paths,
        image_uri=lambda key: f"{BUCKET}in/{key.upper()}",
        upload_prefix=PREFIX,
        labels=["Cat"],
    )
    assert job.keys == ["a.png", "street/c.png"]
    assert (
        json.loads(job.manifest.decode().splitlines()[1])["source-ref"]
        == f"{BUCKET}in/STREET/C.PNG"
    )
    assert job.initial_pngs == {}


def test_the_template_renders_every_line_and_its_initial_value_parses(store):
    job = prepare_job(store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX)
    template = liquid().from_string(job.template.decode())
    stored = store.decode(store.read("a.png"))
    pages = [
        template.render(task={"input": json.loads(line)})
        for line in job.manifest.decode().splitlines()
    ]
    assert initial_value(pages[0]) == {
        "instances": stored.instances,
        "src": "https://signed.example/crowdseg-demo/crowdseg/job-1/initial/a.png.png?X-Amz-Signature=ab&x=1",
    }
    assert initial_value(pages[1]) is None
    assert (
        'src="https://signed.example/crowdseg-demo/images/b.png?X-Amz-Signature=ab&amp;x=1"'
        in pages[1]
    )
    labels = re.search(r'labels="([^"]*)"', pages[0]).group(1)
    assert json.loads(html.unescape(labels)) == ["Cat", "Dog"]


def test_the_pre_lambda_variant_reads_what_the_lambda_returns(store):
    job = prepare_job(
        store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX, with_pre_lambda=True
    )
    template = liquid().from_string(job.template.decode())
    line = json.loads(job.manifest.decode().splitlines()[0])
    task_input = pre_annotation_handler({"version": "2018-10-06", "dataObject": line}, None)[
        "taskInput"
    ]
    page = template.render(task={"input": task_input})
    assert initial_value(page)["instances"] == line["crowdseg-initial"]["instances"]
    assert 'src="https://signed.example/crowdseg-demo/images/a.png' in page


def test_untrusted_label_text_is_escaped_and_parses_back():
    labels = ['Cat\'s "best" <friend>', "Dog & co"]
    annotation = worker_annotation([(box(1, 1, 5, 5), labels[0])])
    line = {
        "source-ref": "s3://b/a.png",
        "crowdseg-initial": {"instances": annotation.instances, "src-ref": "s3://b/i.png"},
    }
    page = (
        liquid()
        .from_string(write_template(labels, header='Say "<hi>"'))
        .render(task={"input": line})
    )
    assert initial_value(page)["instances"] == annotation.instances
    assert json.loads(html.unescape(re.search(r'labels="([^"]*)"', page).group(1))) == labels
    assert 'header="Say &quot;&lt;hi&gt;&quot;"' in page
    assert "<friend>" not in page


def test_allow_new_labels_writes_the_add_label_variant():
    page = (
        liquid()
        .from_string(write_template(["Cat"], allow_new_labels=True))
        .render(task={"input": {"source-ref": "s3://b/a.png"}})
    )
    assert '<crowd-input name="crowdseg-added-labels"' in page
    assert 'id="crowdseg-add">Add label</crowd-button>' in page
    assert "textContent = label" in page and "innerHTML" not in page
    plain = write_template(["Cat"])
    assert "crowdseg-added-labels" not in plain and "<script>" not in plain


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["Cat", "{{ evil }}"], r"label '\{\{ evil \}\}' contains the Liquid delimiter '\{\{'"),
        (["{% raw %}"], r"contains the Liquid delimiter '\{%'"),
        (
            ["Cat", "background"],
            r"label 'background': Ground Truth reserves BACKGROUND.*allow_background_label=True",
        ),
        (["Café", "Cafe\u0301"], r"label 'Cafe\u0301' is given twice \(as 'Café' too\)"),
        (["x" * 257], r"has 257 characters; Ground Truth allows 256"),
        ([], r"labels is empty"),
        (["Cat", " "], r"label ' ' must be a non-empty string"),
        ("Cat", r"labels must be a list of strings, got the string 'Cat'"),
    ],
)
def test_bad_labels_are_refused(labels, message):
    with pytest.raises(GroundTruthError, match=message):
        write_template(labels)


def test_background_is_allowed_when_asked_for():
    assert "Background" in write_template(["Background", "Cat"], allow_background_label=True)


@pytest.mark.parametrize("field", ["header", "short_instructions", "full_instructions"])
def test_template_text_with_liquid_is_refused(field):
    with pytest.raises(
        GroundTruthError, match=rf"{field} 'Hi {{{{ task.input }}}}' contains the Liquid delimiter"
    ):
        write_template(["Cat"], **{field: "Hi {{ task.input }}"})


def test_a_bad_element_name_is_refused():
    with pytest.raises(GroundTruthError, match=r"element name 'my name' must be 1-64 letters"):
        write_template(["Cat"], name="my name")


def test_stored_labels_outside_the_jobs_are_refused_by_key(store):
    with pytest.raises(
        GroundTruthError,
        match=r"a\.png: its stored instances are labeled \['Dog'\].*add them to labels=",
    ):
        prepare_job(store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX, labels=["Cat"])
    job = prepare_job(
        store,
        image_uri=f"{BUCKET}images/",
        upload_prefix=PREFIX,
        labels=["Cat"],
        pre_annotate="none",
    )
    assert job.initial_pngs == {}


def test_a_stored_annotation_that_no_longer_fits_its_image_is_refused(store):
    (store.root / "a.png").write_bytes(_other_size_photo())
    with pytest.raises(
        GroundTruthError, match=r"a\.png: its stored annotation cannot be used.*pre_annotate='none'"
    ):
        prepare_job(store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX)


def _other_size_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            '{"source-ref": "s3://b/a.png", "note": "' + "x" * 100_000 + '"}\n',
            r"input manifest line 1 \(s3://b/a.png\) has 100,04\d characters; "
            r"Ground Truth allows 100,000 a line",
        ),
        (
            '{"source-ref": "s3://b/a.png"}\n'
            '{"source-ref": "s3://b/b.png", "crowdseg-key": "b.png", "big": "'
            + "x" * 20_000
            + '"}\n',
            r"input manifest line 2 \(b.png\): attribute 'big' has 20,002 characters; "
            r"Ground Truth allows 20,000",
        ),
        (
            '{"source-ref": "s3://b/a.png", "$ref": 1}\n',
            r"line 1 \(s3://b/a.png\): key '\$ref' begins with '\$'",
        ),
        (
            '{"image": "s3://b/a.png"}\n',
            r"line 1 has neither 'source-ref' .* nor 'source'.*\['image'\]",
        ),
        (
            '{"source-ref": "s3://b/a.png"}\n[1, 2]\n',
            r"manifest line 2 is a JSON list, not an object",
        ),
        (
            '{"source-ref": "s3://b/a.png"} {"source-ref": "s3://b/b.png"}\n',
            r"manifest line 1 is not JSON",
        ),
        ("\n\n", r"the input manifest has no lines"),
    ],
    ids=["line", "attribute", "dollar", "no-source", "not-object", "two-a-line", "empty"],
)
def test_input_manifest_limits_are_refused_naming_the_line(manifest, message):
    with pytest.raises(GroundTruthError, match=message):
        validate_input_manifest(manifest)


def test_crlf_lines_and_text_sources_are_accepted(tmp_path):
    text = '{"source-ref": "s3://b/a.png"}\r\n{"source": "a sentence"}\r\n'
    assert [
        r.get("source", r.get("source-ref")) for r in validate_input_manifest(text.encode())
    ] == ["s3://b/a.png", "a sentence"]
    path = tmp_path / "input.manifest"
    path.write_text(text)
    assert len(validate_input_manifest(path)) == 2


def test_prepare_job_refuses_a_line_over_the_limits(store):
    long_key = "x" * 19_990
    with pytest.raises(GroundTruthError, match=r"attribute 'source-ref' has 20,0\d\d characters"):
        prepare_job(
            store,
            image_uri=lambda key: f"{BUCKET}{long_key}/{key}",
            upload_prefix=PREFIX,
            keys=["b.png"],
        )


def test_an_entry_whose_image_is_gone_is_refused(store):
    store.image_path("street/c.png").unlink()
    with pytest.raises(
        GroundTruthError, match=r"no image file for \['street/c.png'\].*pass keys= without them"
    ):
        prepare_job(
            store,
            image_uri=f"{BUCKET}images/",
            upload_prefix=PREFIX,
            keys=["b.png", "street/c.png"],
        )
    assert prepare_job(store, image_uri=f"{BUCKET}images/", upload_prefix=PREFIX).keys == [
        "a.png",
        "b.png",
    ]
