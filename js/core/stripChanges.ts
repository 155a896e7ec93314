/**
 * Which strips of the label map changed since the last encode, found by
 * comparing the buffer with a copy of what was last handed to the encoder.
 * A diff rather than a log of edits: every path that writes the buffer
 * (tools, undo, fills, Python's value) is covered without being told.
 */
import { pngFormatKey, stripRowsFor } from "./stripPng";

/** Consecutive changed strips `first`, `first + 1`, ...: their ids as one copy, row-major. */
export interface StripRun {
  first: number;
  ids: Uint16Array;
}

export interface StripUpdate {
  /** Everything is sent (first encode, or a new size or format): the encoder starts afresh. */
  reset: boolean;
  stripRows: number;
  runs: StripRun[];
}

export class StripChanges {
  private shadow: Uint16Array | null = null;
  private key = "";

  /** `stripRows` (even) overrides the size-dependent default, for tests. */
  constructor(private readonly stripRows: number | null = null) {}

  /**
   * The strips of `ids` that differ from the last call's, as copies (ready to
   * be transferred to a worker); all of them after a new size or format.
   */
  take(ids: Uint16Array, width: number, height: number, colors: readonly string[]): StripUpdate {
    const stripRows = this.stripRows ?? stripRowsFor(width);
    const key = `${width}x${height}/${pngFormatKey(colors)}`;
    const stripIds = stripRows * width;
    if (this.shadow === null || key !== this.key || this.shadow.length !== ids.length) {
      this.shadow = ids.slice();
      this.key = key;
      return { reset: true, stripRows, runs: [{ first: 0, ids: ids.slice() }] };
    }
    const shadow = this.shadow;
    const runs: StripRun[] = [];
    const strips = Math.ceil(height / stripRows);
    let runStart = -1;
    for (let strip = 0; strip <= strips; strip++) {
      const changed = strip < strips && differs(ids, shadow, strip * stripIds, Math.min(ids.length, (strip + 1) * stripIds));
      if (changed && runStart < 0) runStart = strip;
      if (!changed && runStart >= 0) {
        const start = runStart * stripIds;
        const end = Math.min(ids.length, strip * stripIds);
        const run = ids.slice(start, end);
        shadow.set(run, start);
        runs.push({ first: runStart, ids: run });
        runStart = -1;
      }
    }
    return { reset: false, stripRows, runs };
  }

  /** Forget what the encoder has (it failed): the next `take` sends everything. */
  forget(): void {
    this.shadow = null;
    this.key = "";
  }
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
