/**
 * The asynchronous encoder `ValueSync` uses when it has one, and the messages
 * between `workerEncoder.ts` and its worker (`encodeWorker.ts`). Kept apart
 * from the worker factory so node tests can fake an encoder.
 */
import type { StripUpdate } from "./core/stripChanges";

/**
 * Encodes asynchronously. `ids` is read during the call only (what changed
 * is copied then), so the caller may go on painting into it at once.
 */
export interface PngEncoder {
  encode(ids: Uint16Array, width: number, height: number, colors: readonly string[]): Promise<string>;
  dispose(): void;
}

/** The encoder itself failed (not the data): encode on the main thread instead. */
export class EncoderUnavailable extends Error {}

/** The strips that changed; the worker keeps the others from earlier requests. */
export interface EncodeRequest {
  id: number;
  width: number;
  height: number;
  colors: string[];
  update: StripUpdate;
}

export type EncodeReply = { id: number; png: string } | { id: number; error: string };
