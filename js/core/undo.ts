import type { Rect } from "./rect";
import { RunWriter, type LabelRuns } from "./runs";

/**
 * Undo/redo as run-length patches: what one action changed, as runs of equal
 * ids over the pixels that really changed, once with the ids before the
 * action (undo) and once with the ids after it (redo; also what the kernel is
 * sent). Never a full-image copy: a fill of most of the image is a few runs
 * per row, and an outline costs the tiles along it, not the rows it crosses.
 */
export interface PixelPatch {
  readonly kind: "pixels";
  /** Runs that give back the ids before the action, over its changed pixels. */
  readonly before: LabelRuns;
  /** Runs that set the ids after the action, over the same pixels. */
  readonly after: LabelRuns;
  /** Bounding rect of the changed pixels. */
  readonly rect: Rect;
  readonly bytes: number;
}

/** The side of a tile of `DirtyTiles`, in pixels. */
export const TILE = 32;

/** Bytes of one run in memory: start and length (u32) and id (u16). */
const RUN_BYTES = 10;

/**
 * Tiles touched by the action in progress (TILE x TILE pixels). Cost per
 * report is the rect's tiles; at the action's end only touched tiles are
 * compared, so a thin stroke around the whole image costs its own pixels.
 */
export class DirtyTiles {
  private readonly cols: number;
  private readonly tiles: Uint8Array;
  private top = Infinity;
  private bottom = -Infinity;

  constructor(readonly width: number, readonly height: number) {
    this.cols = Math.ceil(width / TILE);
    this.tiles = new Uint8Array(this.cols * Math.ceil(height / TILE));
  }

  get isEmpty(): boolean {
    return this.top > this.bottom;
  }

  add(r: Rect | null): void {
    if (r === null) return;
    const y0 = Math.max(0, r.y0);
    const y1 = Math.min(this.height, r.y1);
    const x0 = Math.max(0, r.x0);
    const x1 = Math.min(this.width, r.x1);
    if (y1 <= y0 || x1 <= x0) return;
    const t0 = Math.floor(y0 / TILE);
    const t1 = Math.floor((y1 - 1) / TILE);
    const c0 = Math.floor(x0 / TILE);
    const c1 = Math.floor((x1 - 1) / TILE);
    for (let t = t0; t <= t1; t++) this.tiles.fill(1, t * this.cols + c0, t * this.cols + c1 + 1);
    if (t0 < this.top) this.top = t0;
    if (t1 > this.bottom) this.bottom = t1;
  }

  /**
   * The patch from `before` (the state at the last action's end) to `after`
   * (now) over the touched tiles, as runs over the pixels that really differ;
   * null if none did. One pass: it compares, writes both sides' runs and
   * copies the change into `before`, then resets.
   */
  take(before: Uint16Array, after: Uint16Array): PixelPatch | null {
    if (this.isEmpty) return null;
    const { width, cols, tiles } = this;
    const scan = new PatchScan(before, after, width);
    const spans: number[] = [];
    for (let t = this.top; t <= this.bottom; t++) {
      spans.length = 0; // [x0, x1) of consecutive touched tiles in this band
      for (let c = 0; c < cols; c++) {
        if (tiles[t * cols + c] === 0) continue;
        const start = c;
        while (c + 1 < cols && tiles[t * cols + c + 1] === 1) c++;
        spans.push(start * TILE, Math.min(width, (c + 1) * TILE));
      }
      tiles.fill(0, t * cols, (t + 1) * cols);
      const yEnd = Math.min(this.height, (t + 1) * TILE);
      for (let y = t * TILE; y < yEnd; y++) {
        for (let k = 0; k < spans.length; k += 2) scan.row(y, y * width + spans[k], y * width + spans[k + 1]);
      }
    }
    this.top = Infinity;
    this.bottom = -Infinity;
    return scan.patch();
  }
}

/** `DirtyTiles.take`'s pass: runs of both sides over the changed pixels of the stretches it is shown. */
class PatchScan {
  private readonly was = new RunWriter();
  private readonly now = new RunWriter();
  private rx0 = Infinity;
  private rx1 = -Infinity;
  private ry0 = Infinity;
  private ry1 = -Infinity;

  /** Both maps as pairs of ids (two pixels a compare), when they are aligned for it. */
  private readonly before2: Uint32Array | null;
  private readonly after2: Uint32Array | null;

  constructor(
    private readonly before: Uint16Array,
    private readonly after: Uint16Array,
    private readonly width: number,
  ) {
    const aligned = before.byteOffset % 4 === 0 && after.byteOffset % 4 === 0;
    const pairs = before.length >> 1;
    this.before2 = aligned ? new Uint32Array(before.buffer, before.byteOffset, pairs) : null;
    this.after2 = aligned ? new Uint32Array(after.buffer, after.byteOffset, pairs) : null;
  }

  /** Flat indices [a, b) of row `y`; the changed pixels' `before` ids become their `after` ids. */
  row(y: number, a: number, b: number): void {
    const { before, after, was, now } = this;
    let i = a;
    let first = -1;
    let last = -1;
    while (i < b) {
      i = this.skipSame(i, b);
      if (i >= b) break;
      const bv = before[i];
      const av = after[i];
      // A stretch of one id before and one after (a fill's row is one): one run each side.
      const j = this.stretchEnd(i + 1, b, bv, av);
      was.add(i, j - i, bv);
      now.add(i, j - i, av);
      before.fill(av, i, j);
      if (first < 0) first = i;
      last = j;
      i = j;
    }
    if (first < 0) return;
    const rowStart = y * this.width;
    if (first - rowStart < this.rx0) this.rx0 = first - rowStart;
    if (last - rowStart > this.rx1) this.rx1 = last - rowStart;
    if (y < this.ry0) this.ry0 = y;
    this.ry1 = y;
  }

  /** The first index from `i` below `b` whose id changed (or `b`): two pixels a step where it can. */
  private skipSame(i: number, b: number): number {
    const { before, after, before2, after2 } = this;
    if (before2 !== null && after2 !== null) {
      if (i & 1 && i < b && before[i] === after[i]) i++;
      if ((i & 1) === 0) {
        let w = i >> 1;
        const end = b >> 1;
        while (w < end && before2[w] === after2[w]) w++;
        i = w << 1;
      }
    }
    while (i < b && before[i] === after[i]) i++;
    return i;
  }

  /** The end of the stretch from `j` below `b` that is `bv` before and `av` after. */
  private stretchEnd(j: number, b: number, bv: number, av: number): number {
    const { before, after, before2, after2 } = this;
    if (before2 !== null && after2 !== null) {
      if (j & 1 && j < b && before[j] === bv && after[j] === av) j++;
      if ((j & 1) === 0) {
        const bb = (bv | (bv << 16)) >>> 0;
        const aa = (av | (av << 16)) >>> 0;
        let w = j >> 1;
        const end = b >> 1;
        while (w < end && before2[w] === bb && after2[w] === aa) w++;
        j = w << 1;
      }
    }
    while (j < b && before[j] === bv && after[j] === av) j++;
    return j;
  }

  /** The patch of every stretch shown; null if no pixel changed. */
  patch(): PixelPatch | null {
    if (this.ry0 > this.ry1) return null;
    const before = this.was.take();
    const after = this.now.take();
    return {
      kind: "pixels",
      before,
      after,
      rect: { x0: this.rx0, y0: this.ry0, x1: this.rx1, y1: this.ry1 + 1 },
      bytes: RUN_BYTES * (before.ids.length + after.ids.length) + 64,
    };
  }
}

/** Add the pixels of one side of the patch to `counts` (pixels per id) and take the other side's away. */
export function countPatch(counts: Float64Array, patch: PixelPatch, to: "before" | "after"): void {
  const added = to === "after" ? patch.after : patch.before;
  const removed = to === "after" ? patch.before : patch.after;
  for (let k = 0; k < removed.ids.length; k++) counts[removed.ids[k]] -= removed.lengths[k];
  for (let k = 0; k < added.ids.length; k++) counts[added.ids[k]] += added.lengths[k];
}

/**
 * Delete instance `id` in a label map: its pixels become background, higher
 * ids shift down by one (ids are positions in `instances`). Returns the
 * deleted pixels' indices, so `restoreId` can undo it exactly.
 */
export function removeId(data: Uint16Array, id: number): Uint32Array {
  let found = new Uint32Array(1024);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < id) continue;
    if (v === id) {
      if (n === found.length) {
        const grown = new Uint32Array(found.length * 2);
        grown.set(found);
        found = grown;
      }
      found[n++] = i;
      data[i] = 0;
    } else data[i] = v - 1;
  }
  return found.slice(0, n);
}

/** Undo `removeId`: ids ≥ `id` shift up, the saved pixels get `id` back. */
export function restoreId(data: Uint16Array, id: number, pixels: Uint32Array): void {
  for (let i = 0; i < data.length; i++) if (data[i] >= id) data[i]++;
  for (let k = 0; k < pixels.length; k++) data[pixels[k]] = id;
}

/**
 * Undo and redo stacks bounded by memory: past `limitBytes` the oldest undo
 * steps are dropped (the newest is always kept, so any one action can be undone).
 */
export class UndoStack<T extends { bytes: number }> {
  private done: T[] = [];
  private undone: T[] = [];
  private total = 0;

  constructor(public limitBytes: number) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get bytes(): number {
    return this.total;
  }

  get depth(): number {
    return this.done.length;
  }

  /** A new action: it clears the redo steps. */
  push(step: T): void {
    for (const s of this.undone) this.total -= s.bytes;
    this.undone = [];
    this.done.push(step);
    this.total += step.bytes;
    while (this.total > this.limitBytes && this.done.length > 1) this.total -= this.done.shift()!.bytes;
  }

  /** The step to revert (moved to the redo stack), or null. */
  undo(): T | null {
    const step = this.done.pop();
    if (step === undefined) return null;
    this.undone.push(step);
    return step;
  }

  /** The step to re-apply (moved back to the undo stack), or null. */
  redo(): T | null {
    const step = this.undone.pop();
    if (step === undefined) return null;
    this.done.push(step);
    return step;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.total = 0;
  }
}
