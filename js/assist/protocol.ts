import { unpackMask, type BoxMask } from "../core/mask";

/**
 * The assist's messages between the view and Python (Python's
 * assist/binding.py): only prompts go to the kernel; masks come back as
 * binary buffers cropped to their box, never Base64, never the whole image.
 */

/** What the user asked for, in image pixels (x = column, y = row). */
export interface AssistPrompt {
  /** Clicks `[x, y, positive]`. */
  points: Array<[number, number, boolean]>;
  /** `[x0, y0, x1, y1]`, x1 and y1 exclusive. */
  box: [number, number, number, number] | null;
  /** Four `[x, y]` in the order clicked. */
  extreme_points: Array<[number, number]> | null;
  /** The selected instance (its current mask goes to the assist), or "" for none. */
  instance_color: string;
}

export interface AssistRequest {
  type: "assist";
  /** This view's token: every view of the model hears every reply. */
  view: string;
  id: number;
  /** The `_image_serial` of the image prompted. */
  image: number;
  prompt: AssistPrompt;
}

/** A reply, decoded: the candidates (best first) or the error to show. */
export type AssistReply =
  | { kind: "result"; view: string; id: number; image: number; seconds: number; candidates: BoxMask[] }
  | { kind: "error"; view: string; id: number; image: number; message: string };

interface CandidateMeta {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** The bytes of a message buffer, whatever form the host hands it in. */
function bytesOf(buffer: unknown): Uint8Array {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new Error(`an assist reply's buffer is not binary (${typeof buffer})`);
}

/**
 * An `assist_result` message as an `AssistReply`, or null for any other
 * message. Empty candidates (nothing found) are left out; a malformed
 * reply throws an Error that names the problem.
 */
export function readReply(content: unknown, buffers: readonly unknown[] = []): AssistReply | null {
  if (content === null || typeof content !== "object") return null;
  const c = content as Record<string, unknown>;
  if (c.type !== "assist_result") return null;
  const head = { view: String(c.view), id: Number(c.id), image: Number(c.image) };
  if (typeof c.error === "string") return { kind: "error", ...head, message: c.error };
  const metas = c.candidates;
  if (!Array.isArray(metas) || metas.length !== buffers.length) {
    throw new Error(`an assist reply needs one buffer per candidate, got ${buffers.length} for ${String(metas)}`);
  }
  const candidates: BoxMask[] = [];
  metas.forEach((meta: CandidateMeta, i) => {
    if (meta.width === 0 || meta.height === 0) return;
    candidates.push(unpackMask(meta.x0, meta.y0, meta.width, meta.height, bytesOf(buffers[i])));
  });
  return { kind: "result", ...head, seconds: Number(c.seconds), candidates };
}
