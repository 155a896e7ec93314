/**
 * The Web Worker that encodes label maps off the main thread (see
 * `encoder.ts`). It keeps the last label map and every strip's deflated
 * bytes between requests, so it re-deflates only the strips an edit changed;
 * while idle it re-deflates those strips compactly, for the next value.
 * Bundled by `build.mjs` into a string inside widget.js, so no separate file
 * has to be served.
 */
import { bytesToBase64 } from "../core/base64";
import { IncrementalPngEncoder } from "../core/incrementalPng";
import type { EncodeReply, EncodeRequest } from "./encoder";

interface WorkerScope {
  onmessage: ((event: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(message: EncodeReply, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const encoder = new IncrementalPngEncoder();

scope.onmessage = ({ data: { id, ids, width, height, colors } }) => {
  let reply: EncodeReply;
  try {
    const { png, spare } = encoder.encode(ids, width, height, colors);
    reply = { id, png: bytesToBase64(png), spare };
  } catch (err) {
    reply = { id, error: (err as Error).message, spare: null };
  }
  scope.postMessage(reply, reply.spare === null ? [] : [reply.spare.buffer]);
  // A whole new map (first encode, new size or format): the next request will diff it.
  if ("png" in reply && reply.spare === null) for (let i = 0; i < 3; i++) encoder.warmUp();
  compactSoon();
};

let compacting = false;

/** While idle, re-deflate the fast strips compactly, one per task, so a request never waits for more than one. */
function compactSoon(): void {
  if (compacting) return;
  compacting = true;
  setTimeout(() => {
    compacting = false;
    try {
      if (encoder.compactNext()) compactSoon();
    } catch {
      // Only a smaller PNG is lost: the next request re-encodes what it needs.
    }
  }, 0);
}
