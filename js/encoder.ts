/**
 * The asynchronous encoder `ValueSync` uses when it has one, and the messages
 * between `workerEncoder.ts` and its worker (`encodeWorker.ts`). Kept apart
 * from the worker factory so node tests can fake an encoder.
 */
/** Encodes asynchronously; `ids` is handed over (transferred), so pass a copy. */
export interface PngEncoder {
  encode(ids: Uint16Array, width: number, height: number, colors: readonly string[]): Promise<string>;
  dispose(): void;
}

/** The encoder itself failed (not the data): encode on the main thread instead. */
export class EncoderUnavailable extends Error {}

export interface EncodeRequest {
  id: number;
  ids: Uint16Array;
  width: number;
  height: number;
  colors: string[];
}

export type EncodeReply = { id: number; png: string } | { id: number; error: string };
