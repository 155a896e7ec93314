/**
 * The Web Worker that encodes label maps off the main thread (see
 * `encoder.ts`). It keeps every strip's deflated bytes between requests, so
 * a request carries, and re-deflates, only the strips an edit changed.
 * Bundled by `build.mjs` into a string inside widget.js, so no separate file
 * has to be served.
 */
import { bytesToBase64 } from "./core/base64";
import { StripPngEncoder } from "./core/stripPng";
import type { EncodeReply, EncodeRequest } from "./encoder";

interface WorkerScope {
  onmessage: ((event: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(message: EncodeReply): void;
}

const scope = self as unknown as WorkerScope;
let encoder: StripPngEncoder | null = null;

function encode({ width, height, colors, update }: EncodeRequest): string {
  if (update.reset) encoder = new StripPngEncoder(width, height, colors, update.stripRows);
  const current = encoder;
  if (current === null || current.width !== width || current.height !== height || current.stripRows !== update.stripRows) {
    throw new Error("the encoding worker lost its strips (internal error; the next edit resends them)");
  }
  current.setColors(colors);
  for (const { first, ids } of update.runs) {
    const perStrip = current.stripRows * width;
    for (let at = 0, strip = first; at < ids.length; at += perStrip, strip++) {
      current.setStrip(strip, ids.subarray(at, Math.min(ids.length, at + perStrip)));
    }
  }
  return bytesToBase64(current.png());
}

scope.onmessage = ({ data }) => {
  let reply: EncodeReply;
  try {
    reply = { id: data.id, png: encode(data) };
  } catch (err) {
    reply = { id: data.id, error: (err as Error).message };
  }
  scope.postMessage(reply);
};
