/** Stand-ins for the anywidget model and the encoding worker in node tests (never in the product). */
import { vi } from "vitest";
import { base64ToBytes, bytesToBase64 } from "../core/base64";
import { decodeLabelPng, encodeLabelPng } from "../core/png";
import type { Traits, WidgetModel } from "../model";
import type { PngEncoder } from "../sync/encoder";
import type { SageMakerValue } from "../sync/value";

/** A model that keeps what is set and records a copy of the traits at every `save_changes`. */
export function fakeModel() {
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

/** An encoder (the worker) whose requests the test answers itself, in any order. */
export function fakeEncoder() {
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

/** Let promise callbacks and zero-delay timers run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    // The value's send waits for a task of its own.
    if (vi.isFakeTimers()) vi.advanceTimersByTime(0);
    else await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** The ids of the value last set on the model, decoded. */
export function sentIds(attrs: Partial<Traits>, colors: string[]): number[] {
  const value = attrs.value as SageMakerValue;
  return Array.from(decodeLabelPng(base64ToBytes(value.labeledImage.pngImageData), colors).ids);
}
