import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { base64ToBytes } from "../core/base64";
import { LabelBuffer } from "../core/labelBuffer";
import { decodeLabelPng } from "../core/png";
import { fakeEncoder, fakeModel, settle, sentIds } from "../testing/fakes";
import { EncoderUnavailable } from "./encoder";
import type { SageMakerValue } from "./value";
import { ValueSync } from "./valueSync";
import type { StepChange } from "../core/history";

const cat = { label: "Cat", color: "#2ca02c" };

describe("ValueSync", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("sends one SageMaker value after a burst of edits, not one per edit", async () => {
    const { model, attrs, saves } = fakeModel();
    const buffer = new LabelBuffer(4, 3);
    buffer.fillRow(1, 0, 2, 1);
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {});
    sync.schedule();
    sync.schedule();
    expect(saves.length).toBe(0);
    await settle();
    expect(saves.length).toBe(1);
    const value = attrs.value as SageMakerValue;
    expect(value.inputImageProperties).toEqual({ height: 3, width: 4 });
    expect(value.instances).toEqual([{ color: "#2ca02c", label: "Cat" }]);
    const ids = decodeLabelPng(base64ToBytes(value.labeledImage.pngImageData), ["#2ca02c"]).ids;
    expect(Array.from(ids)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("over the message limit: no value, `_sync_error` says why", async () => {
    const { model, attrs, saves } = fakeModel();
    const buffer = new LabelBuffer(4, 3);
    const errors: string[] = [];
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), (m) => errors.push(m), 50);
    sync.send();
    expect(attrs.value).toEqual({});
    expect(attrs._sync_error).toMatch(/0\.1 MiB message limit and was not sent/);
    expect(saves.length).toBe(1);
  });

  it("flushes a pending send when the view closes", async () => {
    const { model, saves } = fakeModel();
    const buffer = new LabelBuffer(2, 2);
    const sync = new ValueSync(model, () => ({ buffer, instances: [] }), () => {});
    sync.schedule();
    sync.dispose();
    expect(saves.length).toBe(1);
  });
});

/** A ValueSync over a width x height buffer holding `cat`, with a fake worker encoder. */
function workerSync(width: number, height: number) {
  const model = fakeModel();
  const worker = fakeEncoder();
  const buffer = new LabelBuffer(width, height);
  const sync = new ValueSync(model.model, () => ({ buffer, instances: [cat] }), () => {}, undefined, worker.encoder, 0);
  return { ...model, ...worker, buffer, sync };
}

describe("ValueSync with an asynchronous encoder", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("hands the encoder the buffer itself (no full copy) and sends what it had when the encode started", async () => {
    const { model, attrs, saves, requests, buffer, sync } = workerSync(2, 2);
    buffer.fillRow(0, 0, 1, 1);
    sync.schedule();
    expect(requests.length).toBe(0); // after the code that made the edit, not inside it
    await settle();
    expect(requests.length).toBe(1);
    expect(requests[0].ids).toBe(buffer.data);
    expect(saves.length).toBe(0); // nothing until the encoder answers
    buffer.fillRow(1, 0, 2, 1); // painting goes on meanwhile
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 0, 0, 0]);
  });

  it("at most one encode in flight: edits made meanwhile are encoded once, when it returns", async () => {
    const { model, attrs, saves, requests, buffer, sync } = workerSync(2, 1);
    sync.schedule();
    await settle();
    buffer.fillRow(0, 0, 1, 1);
    sync.schedule();
    buffer.fillRow(0, 1, 2, 1);
    sync.schedule();
    await settle();
    expect(requests.length).toBe(1);
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([0, 0]);
    await settle();
    expect(requests.length).toBe(2);
    requests[1].finish();
    await settle();
    expect(saves.length).toBe(2);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 1]);
    await settle();
    expect(requests.length).toBe(2); // nothing new to encode
  });

  it("Python's value drops an encode in flight", async () => {
    const { model, attrs, saves, requests, buffer, sync } = workerSync(2, 1);
    sync.schedule();
    await settle();
    sync.cancel();
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(0);
    expect(attrs.value).toEqual({});
  });

  it("falls back to the main thread for good when the worker can't run", async () => {
    const { model, attrs, saves } = fakeModel();
    const { encoder, requests, disposed } = fakeEncoder();
    const buffer = new LabelBuffer(2, 1);
    buffer.fillRow(0, 0, 1, 1);
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {}, undefined, encoder, 0);
    sync.schedule();
    await settle();
    requests[0].fail(new EncoderUnavailable("blocked by CSP"));
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 0]);
    expect(disposed()).toBe(1);
    buffer.fillRow(0, 0, 2, 1);
    sync.schedule();
    await settle();
    expect(requests.length).toBe(1);
    expect(saves.length).toBe(2);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 1]);
  });

  it("reports data the encoder refuses, as on the main thread", async () => {
    const { model, saves } = fakeModel();
    const { encoder, requests } = fakeEncoder();
    const buffer = new LabelBuffer(2, 1);
    buffer.fillRow(0, 0, 1, 2); // id 2, but one instance
    const errors: string[] = [];
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), (m) => errors.push(m), undefined, encoder, 0);
    sync.schedule();
    await settle();
    requests[0].fail(new Error("label buffer holds instance id 2 but only 1 instance colors were given"));
    await settle();
    expect(saves.length).toBe(0);
    expect(errors).toEqual(["The annotation could not be encoded: label buffer holds instance id 2 but only 1 instance colors were given"]);
  });

  it("over the message limit: no value, `_sync_error` says why", async () => {
    const { model, attrs } = fakeModel();
    const { encoder, requests } = fakeEncoder();
    const buffer = new LabelBuffer(4, 3);
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {}, 50, encoder, 0);
    sync.schedule();
    await settle();
    requests[0].finish();
    await settle();
    expect(attrs.value).toEqual({});
    expect(attrs._sync_error).toMatch(/0\.1 MiB message limit and was not sent/);
  });

  it("closing the view sends at once on the main thread, and drops the encode in flight", async () => {
    const { model, attrs, saves } = fakeModel();
    const { encoder, requests, disposed } = fakeEncoder();
    const buffer = new LabelBuffer(2, 1);
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {}, undefined, encoder, 0);
    sync.schedule();
    await settle();
    buffer.fillRow(0, 0, 2, 1);
    sync.dispose();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 1]);
    expect(disposed()).toBe(1);
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 1]);
  });

  it("a synchronous send supersedes an encode in flight", async () => {
    const { model, attrs, saves, requests, buffer, sync } = workerSync(2, 1);
    buffer.fillRow(0, 0, 1, 1);
    sync.schedule();
    await settle();
    buffer.clear();
    sync.send(); // e.g. Python set value = {}
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([0, 0]);
  });
});

describe("ValueSync on small images", () => {
  it("encodes on the main thread at once, incrementally, and never asks the worker", async () => {
    const { model, attrs, saves } = fakeModel();
    const { encoder, requests } = fakeEncoder();
    const buffer = new LabelBuffer(300, 200);
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {}, undefined, encoder, 300 * 200);
    for (const row of [5, 150]) {
      buffer.fillRow(row, 10, 290, 1);
      sync.schedule();
      await settle();
      expect(sentIds(attrs, [cat.color])).toEqual(Array.from(buffer.data));
    }
    expect(saves.length).toBe(2);
    expect(requests.length).toBe(0);
  });
});

describe("ValueSync's patches to the kernel", () => {
  const runs = (start: number, length: number, id: number) => ({
    starts: Uint32Array.of(start),
    lengths: Uint32Array.of(length),
    ids: Uint16Array.of(id),
  });

  it("each committed action is saved at once; `_patches` keeps every entry until a value holds it", async () => {
    const model = fakeModel();
    const worker = fakeEncoder();
    const buffer = new LabelBuffer(4, 3);
    const pending: StepChange[] = [];
    const sync = new ValueSync(
      model.model, () => ({ buffer, instances: [cat] }), () => {}, undefined, worker.encoder, 0,
      () => pending.splice(0),
    );
    sync.rebase(7);
    pending.push(runs(4, 2, 1));
    sync.committed();
    expect(model.saves.length).toBe(1); // before any encode
    const first = model.saves[0]._patches!;
    expect(first.origin).toBe(7);
    const [sent] = first.entries[0].changes as Array<{ starts: DataView; lengths: DataView; ids: DataView }>;
    expect(first.entries[0].seq).toBe(1);
    expect(sent.starts).toBeInstanceOf(DataView); // binary in every host's state
    expect([sent.starts.getUint32(0, true), sent.lengths.getUint32(0, true), sent.ids.getUint16(0, true)]).toEqual([4, 2, 1]);
    await settle(); // the encode of action 1 is in the worker
    pending.push(runs(0, 1, 1), { remove: 1 }); // two steps in one action: a stroke, then a delete
    sync.committed();
    const second = model.saves.at(-1)!._patches!;
    expect(second.entries.map((e) => [e.seq, e.changes.length])).toEqual([[1, 1], [2, 2]]);
    expect(second.entries[1].changes[1]).toEqual({ remove: 1 });
    worker.requests[0].finish(); // the value of action 1
    await settle();
    expect(model.attrs._value_patch).toEqual({ view: first.view, origin: 7, seq: 1 });
    pending.push(runs(1, 1, 1));
    sync.committed();
    expect(model.saves.at(-1)!._patches!.entries.map((e) => e.seq)).toEqual([2, 3]); // 1 is in the value
  });

  it("a cancel (Python's annotation) drops the entries not sent in a value", () => {
    const { model, saves } = fakeModel();
    const buffer = new LabelBuffer(2, 2);
    const sync = new ValueSync(model, () => ({ buffer, instances: [] }), () => {}, undefined, null, 4, () => []);
    sync.committed();
    sync.cancel();
    sync.rebase(3);
    sync.committed();
    const entries = saves.at(-1)!._patches!.entries;
    expect(entries.map((e) => e.seq)).toEqual([1]);
    expect(saves.at(-1)!._patches!.origin).toBe(3);
  });
});
