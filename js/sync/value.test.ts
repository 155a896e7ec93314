import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../core/base64";
import { LabelBuffer } from "../core/labelBuffer";
import { encodeLabelPng } from "../core/png";
import { decodeValue, isSageMakerValue, toValue } from "./value";

/** A 3x2 map: instance 1 on the top row's right two pixels, instance 2 bottom left. */
const IDS = new Uint16Array([0, 1, 1, 2, 0, 0]);
const INSTANCES = [
  { color: "#2ca02c", label: "Cat" },
  { color: "#1f77b4", label: "Dog" },
];

function value() {
  const png = bytesToBase64(encodeLabelPng(IDS, 3, 2, INSTANCES.map((inst) => inst.color)));
  return toValue({ width: 3, height: 2, instances: INSTANCES, png });
}

describe("the SageMaker value", () => {
  it("is built in SageMaker's shape, instances copied in id order", () => {
    const v = value();
    expect(Object.keys(v)).toEqual(["inputImageProperties", "instances", "labeledImage"]);
    expect(v.inputImageProperties).toEqual({ height: 2, width: 3 });
    expect(v.instances).toEqual(INSTANCES);
    expect(v.instances[0]).not.toBe(INSTANCES[0]);
    expect(isSageMakerValue(v)).toBe(true);
  });

  it("decodes back into the exact ids, colors lowercased", () => {
    const v = value();
    v.instances[0].color = "#2CA02C";
    const buffer = new LabelBuffer(3, 2);
    expect(decodeValue(v, buffer)).toEqual([
      { label: "Cat", color: "#2ca02c" },
      { label: "Dog", color: "#1f77b4" },
    ]);
    expect(Array.from(buffer.data)).toEqual(Array.from(IDS));
  });

  it("refuses a PNG of another size than the image, and leaves the buffer alone", () => {
    const buffer = new LabelBuffer(2, 3);
    buffer.fillRow(0, 0, 2, 1);
    expect(() => decodeValue(value(), buffer)).toThrow(/the annotation PNG is 3x2 but the image is 2x3/);
    expect(Array.from(buffer.data)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it("`{}` (no annotation yet) and other shapes are not a value", () => {
    expect(isSageMakerValue({})).toBe(false);
    expect(isSageMakerValue(null)).toBe(false);
    expect(isSageMakerValue({ instances: [], labeledImage: {} })).toBe(false);
  });
});
