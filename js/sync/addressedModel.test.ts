import { describe, expect, it } from "vitest";
import { LabelBuffer } from "../core/labelBuffer";
import { fakeModel } from "../testing/fakes";
import { AddressedModel } from "./addressedModel";
import type { SageMakerValue } from "./value";
import { ValueSync } from "./valueSync";

const cat = { label: "Cat", color: "#2ca02c" };

/** A sync writing through an AddressedModel for image 3, over a 2x1 drawing. */
function addressed() {
  const fake = fakeModel();
  const model = new AddressedModel(fake.model, 3);
  const buffer = new LabelBuffer(2, 1);
  const sync = new ValueSync(model, () => ({ buffer, instances: [cat] }), () => {});
  return { ...fake, model, buffer, sync };
}

describe("AddressedModel", () => {
  it("sends every value with the image it was painted on", () => {
    const { attrs, saves, sync } = addressed();
    sync.send();
    expect(attrs._value_image).toBe(3);
    expect(saves.length).toBe(1);
    expect(saves[0]._value_image).toBe(3);
  });

  it("knows its own write by the object written, not by its contents", () => {
    const { attrs, model, sync } = addressed();
    sync.send();
    const value = attrs.value as SageMakerValue;
    expect(model.isOwn(value)).toBe(true);
    // Python's relabel (the same PNG) or an equal value from another view of the model is new.
    expect(model.isOwn({ ...value, instances: [{ color: "#2ca02c", label: "Dog" }] })).toBe(false);
    expect(model.isOwn(structuredClone(value))).toBe(false);
    expect(model.isOwn({})).toBe(false);
  });

  it("rescues a value to the old image at a switch, then forgets what it wrote", () => {
    const { attrs, model, buffer, sync } = addressed();
    sync.send();
    const first = attrs.value as SageMakerValue;
    buffer.fillRow(0, 0, 2, 1);
    sync.schedule();
    model.rescue(() => sync.flush());
    expect(attrs.value).toBe(first); // `value` is the new image's now: untouched
    expect(attrs._rescued_value?.image).toBe(3);
    expect(attrs._rescued_value?.value.instances).toEqual([cat]);
    model.moveTo(4);
    expect(model.isOwn(first)).toBe(false); // the next image's equal value is loaded, not skipped
    sync.send();
    expect(attrs._value_image).toBe(4);
  });
});
