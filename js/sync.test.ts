import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { base64ToBytes } from "./core/base64";
import { LabelBuffer } from "./core/labelBuffer";
import { decodeLabelPng } from "./core/png";
import type { Instance } from "./editor";
import type { SageMakerValue, Traits, WidgetModel } from "./model";
import { decodeValue, ValueSync } from "./sync";

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

  it("sends one SageMaker value after a burst of edits, not one per edit", () => {
    const { model, attrs, saves } = fakeModel();
    const buffer = new LabelBuffer(4, 3);
    buffer.fillRow(1, 0, 2, 1);
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {});
    sync.schedule();
    sync.schedule();
    expect(saves.length).toBe(0);
    vi.advanceTimersByTime(150);
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

  it("sends nothing while a stroke is in progress, then once after it", () => {
    const { model, saves } = fakeModel();
    const buffer = new LabelBuffer(2, 2);
    const sync = new ValueSync(model, () => ({ buffer, instances: [] }), () => {});
    sync.schedule(); // e.g. "Add instance" just before the stroke
    sync.hold();
    sync.schedule();
    vi.advanceTimersByTime(500);
    expect(saves.length).toBe(0);
    sync.release();
    vi.advanceTimersByTime(150);
    expect(saves.length).toBe(1);
  });

  it("over the message limit: no value, `_sync_error` says why", () => {
    const { model, attrs, saves } = fakeModel();
    const buffer = new LabelBuffer(4, 3);
    const errors: string[] = [];
    const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), (m) => errors.push(m), 50);
    sync.send();
    expect(attrs.value).toEqual({});
    expect(attrs._sync_error).toMatch(/10 MiB message limit/);
    expect(saves.length).toBe(1);
  });

  it("flushes a pending send when the view closes", () => {
    const { model, saves } = fakeModel();
    const buffer = new LabelBuffer(2, 2);
    const sync = new ValueSync(model, () => ({ buffer, instances: [] }), () => {});
    sync.schedule();
    sync.dispose();
    expect(saves.length).toBe(1);
  });
});

describe("decodeValue", () => {
  it("loads Python's annotation into the buffer and refuses another size", () => {
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
