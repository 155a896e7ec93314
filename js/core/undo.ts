import type { Rect } from "./rect";

/**
 * Undo/redo as pixel patches: what one action changed, as segments of rows
 * (each a stretch of one row inside the touched tiles, trimmed to its first
 * and last changed pixel), with the ids before and after. Never a full-image
 * copy, and an outline costs the tiles along it, not the rows it crosses.
 */
export interface PixelPatch {
  readonly kind: "pixels";
  /** Segment k is `segments[2k + 1]` pixels from flat index `segments[2k]` (y * width + x), ascending. */
  readonly segments: Uint32Array;
  readonly before: Uint16Array;
  readonly after: Uint16Array;
  /** Bounding rect of the segments. */
  readonly rect: Rect;
  readonly bytes: number;
}

/** The side of a tile of `DirtyTiles`, in pixels. */
export const TILE = 32;

/** Pairs of numbers growing by doubling. */
class PairWriter {
  private data = new Uint32Array(512);
  n = 0;

  push(a: number, b: number): void {
    if (2 * this.n + 2 > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[2 * this.n] = a;
    this.data[2 * this.n + 1] = b;
    this.n++;
  }

  take(): Uint32Array {
    return this.data.slice(0, 2 * this.n);
  }
}

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
   * (now) over the touched tiles, trimmed to the pixels that really differ;
   * null if none did. Copies the changes into `before` and resets.
   */
  take(before: Uint16Array, after: Uint16Array): PixelPatch | null {
    if (this.isEmpty) return null;
    const { width, cols, tiles } = this;
    const segments = new PairWriter();
    const runs: number[] = [];
    let total = 0;
    let rx0 = Infinity;
    let rx1 = -Infinity;
    let ry0 = Infinity;
    let ry1 = -Infinity;
    for (let t = this.top; t <= this.bottom; t++) {
      runs.length = 0; // [x0, x1) of consecutive touched tiles in this band
      for (let c = 0; c < cols; c++) {
        if (tiles[t * cols + c] === 0) continue;
        const start = c;
        while (c + 1 < cols && tiles[t * cols + c + 1] === 1) c++;
        runs.push(start * TILE, Math.min(width, (c + 1) * TILE));
      }
      tiles.fill(0, t * cols, (t + 1) * cols);
      const yEnd = Math.min(this.height, (t + 1) * TILE);
      for (let y = t * TILE; y < yEnd; y++) {
        const row = y * width;
        for (let k = 0; k < runs.length; k += 2) {
          let a = row + runs[k];
          let b = row + runs[k + 1];
          while (a < b && before[a] === after[a]) a++;
          while (b > a && before[b - 1] === after[b - 1]) b--;
          if (b <= a) continue;
          segments.push(a, b - a);
          total += b - a;
          if (a - row < rx0) rx0 = a - row;
          if (b - row > rx1) rx1 = b - row;
          if (y < ry0) ry0 = y;
          ry1 = y;
        }
      }
    }
    this.top = Infinity;
    this.bottom = -Infinity;
    if (total === 0) return null;
    const kept = segments.take();
    const patch: PixelPatch = {
      kind: "pixels",
      segments: kept,
      before: new Uint16Array(total),
      after: new Uint16Array(total),
      rect: { x0: rx0, y0: ry0, x1: rx1, y1: ry1 + 1 },
      bytes: 4 * total + 4 * kept.length + 64,
    };
    let o = 0;
    for (let k = 0; k < kept.length; k += 2) {
      const a = kept[k];
      const n = kept[k + 1];
      patch.before.set(before.subarray(a, a + n), o);
      patch.after.set(after.subarray(a, a + n), o);
      before.set(after.subarray(a, a + n), a);
      o += n;
    }
    return patch;
  }
}

/** Write the patch's `before` (undo) or `after` (redo) ids into `data`. */
export function applyPatch(data: Uint16Array, patch: PixelPatch, side: "before" | "after"): void {
  const ids = side === "before" ? patch.before : patch.after;
  const { segments } = patch;
  let o = 0;
  for (let k = 0; k < segments.length; k += 2) {
    const n = segments[k + 1];
    data.set(ids.subarray(o, o + n), segments[k]);
    o += n;
  }
}

/** Add ±1 per pixel of one side of the patch to `counts` (pixels per id). */
export function countPatch(counts: Float64Array, patch: PixelPatch, from: "before" | "after"): void {
  const removed = from === "before" ? patch.before : patch.after;
  const added = from === "before" ? patch.after : patch.before;
  for (let i = 0; i < removed.length; i++) {
    counts[removed[i]]--;
    counts[added[i]]++;
  }
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
