/**
 * Label map → Base64 PNG off the main thread: a Web Worker created from a
 * Blob URL of the worker's code, which `build.mjs` bundles into widget.js as a
 * string (anywidget serves one file). The main thread's cost is one copy of
 * the label map, into the array the worker handed back last time (already
 * paged in); the worker finds and re-deflates the strips that changed.
 * `createWorkerEncoder` returns null where
 * workers or Blob URLs are unavailable; a worker that fails later (e.g. a
 * Content Security Policy without `worker-src blob:`) rejects with
 * `EncoderUnavailable`, and `ValueSync` then encodes on the main thread.
 */
import WORKER_SOURCE from "encode-worker-source";
import { EncoderUnavailable, type EncodeReply, type EncodeRequest, type PngEncoder } from "./encoder";

/** A worker silent for this long is taken as hung: the main thread takes over. */
export const ENCODE_TIMEOUT_MS = 15_000;

export function createWorkerEncoder(timeoutMs = ENCODE_TIMEOUT_MS): PngEncoder | null {
  if (typeof Worker === "undefined" || typeof Blob === "undefined" || typeof URL?.createObjectURL !== "function") {
    return null;
  }
  let url: string;
  let worker: Worker;
  try {
    url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  } catch {
    return null;
  }
  try {
    worker = new Worker(url);
  } catch {
    URL.revokeObjectURL(url);
    return null;
  }
  const pending = new Map<
    number,
    { resolve: (png: string) => void; reject: (err: Error) => void; timer: ReturnType<typeof setTimeout>; length: number }
  >();
  let nextId = 0;
  let failure: Error | null = null;
  let spare: Uint16Array | null = null;
  /**
   * After a fresh map the worker has nothing to hand back: make the next copy's
   * array now, while idle, and touch its pages, so the first stroke's copy is a
   * plain memcpy (a fresh 24 MB array costs ~30 ms of page faults at 12 MP).
   */
  const prepareSpare = (length: number): void => {
    if (failure !== null || (spare !== null && spare.length === length)) return;
    spare = new Uint16Array(length).fill(0);
  };

  const fail = (err: Error): void => {
    if (failure === null) failure = err;
    worker.terminate();
    URL.revokeObjectURL(url);
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(failure);
    }
    pending.clear();
  };
  worker.onmessage = ({ data }: MessageEvent<EncodeReply>) => {
    const request = pending.get(data.id);
    if (request === undefined) return;
    clearTimeout(request.timer);
    pending.delete(data.id);
    if (data.spare !== null) spare = data.spare;
    else if ("png" in data) setTimeout(() => prepareSpare(request.length), 0);
    if ("png" in data) request.resolve(data.png);
    else request.reject(new Error(data.error));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new EncoderUnavailable(`the encoding worker failed: ${event.message || "could not start"}`));
  };
  worker.onmessageerror = () => fail(new EncoderUnavailable("the encoding worker's reply could not be read"));

  return {
    encode(ids, width, height, colors) {
      if (failure !== null) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        // Never lose an edit to a worker that neither answers nor errors.
        const timer = setTimeout(
          () => fail(new EncoderUnavailable(`the encoding worker did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
        pending.set(id, { resolve, reject, timer, length: ids.length });
        let copy: Uint16Array;
        if (spare !== null && spare.length === ids.length) {
          copy = spare;
          copy.set(ids);
        } else {
          copy = ids.slice();
        }
        spare = null;
        const request: EncodeRequest = { id, ids: copy, width, height, colors: [...colors] };
        try {
          worker.postMessage(request, [copy.buffer]); // handed over, not copied again
        } catch (err) {
          fail(new EncoderUnavailable(`the encoding worker could not be reached: ${(err as Error).message}`));
        }
      });
    },
    dispose() {
      fail(new EncoderUnavailable("disposed"));
    },
  };
}
