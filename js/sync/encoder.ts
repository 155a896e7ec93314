/**
 * The asynchronous encoder `ValueSync` uses when it has one, and the messages
 * between `workerEncoder.ts` and its worker (`encodeWorker.ts`). Kept apart
 * from the worker factory so node tests can fake an encoder.
 */
/**
 * Encodes asynchronously. `ids` is read during the call only (copied then),
 * so the caller may go on painting into it at once.
 */
export interface PngEncoder {
  encode(ids: Uint16Array, width: number, height: number, colors: readonly string[]): Promise<string>;
  dispose(): void;
}

/** The encoder itself failed (not the data): encode on the main thread instead. */
export class EncoderUnavailable extends Error {}

/** A copy of the whole label map, handed over; the worker re-deflates only the strips that changed. */
export interface EncodeRequest {
  id: number;
  ids: Uint16Array;
  width: number;
  height: number;
  colors: string[];
}

/** `spare`: the label map of an earlier request, handed back for the next copy. */
export type EncodeReply =
  | { id: number; png: string; spare: Uint16Array | null }
  | { id: number; error: string; spare: null };
