import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { base64ToBytes, bytesToBase64 } from "../core/base64";
import { LabelBuffer } from "../core/labelBuffer";
import { decodeLabelPng, encodeLabelPng } from "../core/png";
import type { Instance } from "../editor";
import { EncoderUnavailable, type PngEncoder } from "./encoder";
import type { SageMakerValue, Traits, WidgetModel } from "../model";
import { decodeValue, ValueSync } from "./valueSync";

function fakeModel() {
  const attrs: Partial<Traits> = { value: {}, _sync_error: "" };
  const saves: Array<Partial<Traits>> = [];
  const model: WidgetModel = {
    get: (key) => attrs[key] as never,
    set: (key, value) => void (attrs[key] = value),
    on: () => {},
    off: () => {},
    save_changes: () => void saves.push({ ...attrs }),
  };
  return { model, attrs, saves };
}

const cat: Instance = { id: 1, label: "Cat", color: "#2ca02c" };

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
    expect(sync.isOwn(value)).toBe(true);
    // Python relabels: the same PNG with other instances is not an echo.
    expect(sync.isOwn({ ...value, instances: [{ color: "#2ca02c", label: "Dog" }] })).toBe(false);
  });

  it("sends nothing while a stroke is in progress, then once after it", async () => {
    const { model, saves } = fakeModel();
    const buffer = new LabelBuffer(2, 2);
    const sync = new ValueSync(model, () => ({ buffer, instances: [] }), () => {});
    sync.schedule(); // e.g. "Add instance" just before the stroke
    sync.hold();
    sync.schedule();
    await settle();
    expect(saves.length).toBe(0);
    sync.release();
    await settle();
    expect(saves.length).toBe(1);
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

/** An encoder (the worker) whose requests the test answers itself, in any order. */
function fakeEncoder() {
  const requests: Array<{
    /** The array the encoder was handed (it must copy what it needs during the call). */
    ids: Uint16Array;
    width: number;
    height: number;
    colors: readonly string[];
    /** Answer with the real PNG of the pixels handed over. */
    finish: () => void;
    fail: (err: Error) => void;
  }> = [];
  let disposed = 0;
  const encoder: PngEncoder = {
    encode: (ids, width, height, colors) => {
      const copy = ids.slice(); // as the real encoder does during the call
      return new Promise<string>((resolve, reject) => {
        requests.push({
          ids,
          width,
          height,
          colors,
          finish: () => resolve(bytesToBase64(encodeLabelPng(copy, width, height, colors))),
          fail: reject,
        });
      });
    },
    dispose: () => void disposed++,
  };
  return { encoder, requests, disposed: () => disposed };
}

/** A ValueSync over a width x height buffer holding `cat`, with a fake worker encoder. */
function workerSync(width: number, height: number) {
  const model = fakeModel();
  const worker = fakeEncoder();
  const buffer = new LabelBuffer(width, height);
  const sync = new ValueSync(model.model, () => ({ buffer, instances: [cat] }), () => {}, undefined, worker.encoder, 0);
  return { ...model, ...worker, buffer, sync };
}

/** Let promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function sentIds(attrs: Partial<Traits>, colors: string[]): number[] {
  const value = attrs.value as SageMakerValue;
  return Array.from(decodeLabelPng(base64ToBytes(value.labeledImage.pngImageData), colors).ids);
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
    expect(sync.isOwn(attrs.value as SageMakerValue)).toBe(true);
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

  it("an encode that finishes during a stroke is sent at its end, then the stroke", async () => {
    const { model, attrs, saves, requests, buffer, sync } = workerSync(2, 1);
    buffer.fillRow(0, 0, 1, 1);
    sync.schedule();
    await settle();
    sync.hold();
    buffer.fillRow(0, 1, 2, 1);
    sync.schedule(); // the stroke's commit
    requests[0].finish();
    await settle();
    await settle();
    expect(saves.length).toBe(0);
    expect(requests.length).toBe(1);
    sync.release();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 0]);
    await settle();
    requests[1].finish();
    await settle();
    expect(saves.length).toBe(2);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 1]);
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

  it("a worker failure during a stroke waits for its end", async () => {
    const { model, saves, requests, buffer, sync } = workerSync(2, 1);
    sync.schedule();
    await settle();
    sync.hold();
    requests[0].fail(new EncoderUnavailable("crashed"));
    await settle();
    expect(saves.length).toBe(0);
    sync.release();
    await settle();
    expect(saves.length).toBe(1);
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

  it("closing the view mid-debounce or right after a stroke sends the last edit", async () => {
    const { model, attrs, saves, requests, buffer, sync } = workerSync(2, 1);
    sync.hold();
    buffer.fillRow(0, 0, 1, 1);
    sync.schedule();
    sync.dispose();
    expect(requests.length).toBe(0);
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [cat.color])).toEqual([1, 0]);
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

describe("decodeValue", () => {
  it("loads Python's annotation into the buffer and refuses another size", async () => {
    const { model, attrs } = fakeModel();
    const source = new LabelBuffer(3, 2);
    source.fillRow(0, 1, 3, 1);
    new ValueSync(model, () => ({ buffer: source, instances: [{ ...cat, color: "#2CA02C" }] }), () => {}).send();
    const target = new LabelBuffer(3, 2);
    const instances = decodeValue(attrs.value as SageMakerValue, target);
    expect(instances).toEqual([{ label: "Cat", color: "#2ca02c" }]);
    expect(Array.from(target.data)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(() => decodeValue(attrs.value as SageMakerValue, new LabelBuffer(2, 3))).toThrow(/3x2 but the image is 2x3/);
  });
});
