/**
 * The worker's side of encoding per edit: keeps the last label map it was
 * given and the PNG's strips, and re-deflates only the strips whose ids
 * differ. A diff rather than a log of edits: every path that writes the
 * buffer (tools, undo, fills, Python's value, a new image) is covered
 * without being told. The main thread's only cost is one copy of the buffer
 * (into the array the previous request gave back), which the encoder keeps.
 */
import { encodeLabelPngStrips, pngFormatKey, StripPngEncoder, stripRowsFor } from "./stripPng";

export interface IncrementalResult {
  png: Uint8Array;
  /** Strips re-deflated for this PNG. */
  strips: number[];
  /** The previous label map's array, free for the caller's next copy (null on the first call). */
  spare: Uint16Array | null;
}

export class IncrementalPngEncoder {
  private previous: Uint16Array | null = null;
  private encoder: StripPngEncoder | null = null;

  /** `stripRows` (even) overrides the size-dependent default, for tests. */
  constructor(private readonly stripRows: number | null = null) {}

  /** The PNG of `ids` (which this encoder keeps: pass a copy). */
  encode(ids: Uint16Array, width: number, height: number, colors: readonly string[]): IncrementalResult {
    if (ids.length !== width * height) {
      throw new Error(`label data has ${ids.length} pixels, expected ${width}x${height}`);
    }
    const previous = this.previous;
    let encoder = this.encoder;
    const fresh =
      encoder === null || previous === null || encoder.width !== width || encoder.height !== height ||
      encoder.formatKey !== pngFormatKey(colors);
    this.previous = null; // until this encode has succeeded, nothing is known
    if (fresh) encoder = new StripPngEncoder(width, height, colors, this.stripRows ?? stripRowsFor(width));
    encoder = encoder!;
    this.encoder = encoder;
    encoder.setColors(colors);
    const strips = fresh ? Array.from({ length: encoder.stripCount }, (_, i) => i) : changedStrips(ids, previous!, encoder);
    const png = encodeLabelPngStrips(encoder, ids, strips);
    this.previous = ids;
    return { png, strips, spare: fresh ? null : previous };
  }

  /**
   * Re-deflate one fast strip of the kept map compactly (while idle); false
   * when every strip is compact already.
   */
  compactNext(): boolean {
    const encoder = this.encoder;
    const map = this.previous;
    if (encoder === null || map === null) return false;
    const index = encoder.looseStrip();
    if (index < 0) return false;
    const [y0, y1] = encoder.stripBounds(index);
    encoder.setStrip(index, map.subarray(y0 * encoder.width, y1 * encoder.width), true);
    return true;
  }

  /**
   * Run the diff over the kept map against itself (it reads it all), so that
   * the JIT has compiled its loop before a stroke needs it: the first diffs
   * otherwise run in the interpreter, ~10x slower (60 ms at 12 MP).
   */
  warmUp(): void {
    if (this.previous !== null && this.encoder !== null) changedStrips(this.previous, this.previous, this.encoder);
  }
}

/** Strips of `encoder`'s layout where `ids` and `previous` differ. */
export function changedStrips(ids: Uint16Array, previous: Uint16Array, encoder: StripPngEncoder): number[] {
  const perStrip = encoder.stripRows * encoder.width;
  const changed: number[] = [];
  for (let strip = 0; strip < encoder.stripCount; strip++) {
    if (differs(ids, previous, strip * perStrip, Math.min(ids.length, (strip + 1) * perStrip))) changed.push(strip);
  }
  return changed;
}

/** Do `a` and `b` differ in [start, end)? Compares two ids at a time where both are 4-byte aligned. */
function differs(a: Uint16Array, b: Uint16Array, start: number, end: number): boolean {
  let i = start;
  if ((a.byteOffset + 2 * start) % 4 === 0 && (b.byteOffset + 2 * start) % 4 === 0) {
    const pairs = (end - start) >> 1;
    const a32 = new Int32Array(a.buffer, a.byteOffset + 2 * start, pairs);
    const b32 = new Int32Array(b.buffer, b.byteOffset + 2 * start, pairs);
    for (let k = 0; k < pairs; k++) if (a32[k] !== b32[k]) return true;
    i = start + 2 * pairs;
  }
  for (; i < end; i++) if (a[i] !== b[i]) return true;
  return false;
}
