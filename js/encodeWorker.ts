/**
 * The Web Worker that encodes label maps off the main thread (see
 * `encoder.ts`). Bundled by `build.mjs` into a string inside widget.js, so no
 * separate file has to be served.
 */
import { bytesToBase64 } from "./core/base64";
import { encodeLabelPng } from "./core/png";
import type { EncodeReply, EncodeRequest } from "./encoder";

interface WorkerScope {
  onmessage: ((event: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(message: EncodeReply): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = ({ data: { id, ids, width, height, colors } }) => {
  let reply: EncodeReply;
  try {
    reply = { id, png: bytesToBase64(encodeLabelPng(ids, width, height, colors)) };
  } catch (err) {
    reply = { id, error: (err as Error).message };
  }
  scope.postMessage(reply);
};
