/**
 * The SageMaker value (`<crowd-instance-segmentation>`'s output, docs/format.md)
 * as the view reads and writes it: the mirror of the Python module
 * `crowdseg_widget.formats.sagemaker`. The PNG is indexed by instance id
 * (core/png.ts); `instances[i]` is id i + 1.
 */
import { base64ToBytes } from "../core/base64";
import type { LabelBuffer } from "../core/labelBuffer";
import { decodeLabelPng } from "../core/png";

export interface SageMakerValue {
  inputImageProperties: { height: number; width: number };
  instances: Array<{ color: string; label: string }>;
  labeledImage: { pngImageData: string };
}

/** What an encoded drawing is made of: its size, its instances in id order, the Base64 PNG. */
export interface EncodedDrawing {
  width: number;
  height: number;
  instances: ReadonlyArray<{ color: string; label: string }>;
  png: string;
}

export function isSageMakerValue(value: unknown): value is SageMakerValue {
  const v = value as SageMakerValue | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.labeledImage?.pngImageData === "string" &&
    Array.isArray(v.instances)
  );
}

/** The value of an encoded drawing (Python: `annotation_to_value`). */
export function toValue({ width, height, instances, png }: EncodedDrawing): SageMakerValue {
  return {
    inputImageProperties: { height, width },
    instances: instances.map((inst) => ({ color: inst.color, label: inst.label })),
    labeledImage: { pngImageData: png },
  };
}

/** Load a SageMaker value into `buffer`; returns its instances. Throws with a clear message. */
export function decodeValue(value: SageMakerValue, buffer: LabelBuffer): Array<{ label: string; color: string }> {
  const instances = value.instances.map((inst) => ({ label: String(inst.label), color: String(inst.color).toLowerCase() }));
  const decoded = decodeLabelPng(
    base64ToBytes(value.labeledImage.pngImageData),
    instances.map((inst) => inst.color),
  );
  if (decoded.width !== buffer.width || decoded.height !== buffer.height) {
    throw new Error(
      `the annotation PNG is ${decoded.width}x${decoded.height} but the image is ${buffer.width}x${buffer.height}`,
    );
  }
  buffer.assign(decoded.ids);
  return instances;
}
