import type { Rect } from "./rect";

/**
 * Undo/redo as pixel patches: what one action changed, as a dirty rectangle
 * stored row by row (each row keeps only the span from its first to its last
 * changed pixel), with the ids before and after. Never a full-image copy.
 */
export interface PixelPatch {
  readonly kind: "pixels";
  /** Row y's span is [spans[2k], spans[2k+1]) for y = y0 + k; empty rows have x0 = x1. */
  readonly y0: number;
  readonly spans: Int32Array;
  readonly before: Uint16Array;
  readonly after: Uint16Array;
  /** Bounding rect of the spans. */
  readonly rect: Rect;
  readonly bytes: number;
}

/**
 * Rows touched by the action in progress: per row the union of the x ranges
 * reported dirty. Cost per report is the rect's height, never the image's.
 */
export class DirtyRows {
  private readonly min: Int32Array;
  private readonly max: Int32Array;
  private top = Infinity;
  private bottom = -Infinity;

  constructor(readonly width: number, readonly height: number) {
    this.min = new Int32Array(height).fill(0x7fffffff);
    this.max = new Int32Array(height).fill(-1);
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
    for (let y = y0; y < y1; y++) {
      if (x0 < this.min[y]) this.min[y] = x0;
      if (x1 > this.max[y]) this.max[y] = x1;
    }
    if (y0 < this.top) this.top = y0;
    if (y1 - 1 > this.bottom) this.bottom = y1 - 1;
  }

  /**
   * The patch from `before` (the state at the last action's end) to `after`
   * (now) over the touched rows, trimmed to the pixels that really differ;
   * null if none did. Copies the changes into `before` and resets.
   */
  take(before: Uint16Array, after: Uint16Array): PixelPatch | null {
    if (this.isEmpty) return null;
    const { width } = this;
    const y0 = this.top;
    const rows = this.bottom - y0 + 1;
    const spans = new Int32Array(2 * rows);
    let total = 0;
    let first = -1;
    let last = -1;
    let rx0 = Infinity;
    let rx1 = -Infinity;
    for (let k = 0; k < rows; k++) {
      const y = y0 + k;
      const row = y * width;
      let a = this.min[y];
      let b = this.max[y];
      this.min[y] = 0x7fffffff;
      this.max[y] = -1;
      while (a < b && before[row + a] === after[row + a]) a++;
      while (b > a && before[row + b - 1] === after[row + b - 1]) b--;
      if (b <= a) a = b = 0;
      else {
        if (first < 0) first = k;
        last = k;
        if (a < rx0) rx0 = a;
        if (b > rx1) rx1 = b;
      }
      spans[2 * k] = a;
      spans[2 * k + 1] = b;
      total += b - a;
    }
    this.top = Infinity;
    this.bottom = -Infinity;
    if (total === 0) return null;
    const kept = spans.slice(2 * first, 2 * (last + 1));
    const patch: PixelPatch = {
      kind: "pixels",
      y0: y0 + first,
      spans: kept,
      before: new Uint16Array(total),
      after: new Uint16Array(total),
      rect: { x0: rx0, y0: y0 + first, x1: rx1, y1: y0 + last + 1 },
      bytes: 4 * total + 4 * kept.length + 64,
    };
    let o = 0;
    for (let k = 0; k < kept.length / 2; k++) {
      const start = (patch.y0 + k) * width;
      const a = kept[2 * k];
      const b = kept[2 * k + 1];
      patch.before.set(before.subarray(start + a, start + b), o);
      patch.after.set(after.subarray(start + a, start + b), o);
      before.set(after.subarray(start + a, start + b), start + a);
      o += b - a;
    }
    return patch;
  }
}

/** Write the patch's `before` (undo) or `after` (redo) ids into `data` (row width `width`). */
export function applyPatch(data: Uint16Array, width: number, patch: PixelPatch, side: "before" | "after"): void {
  const ids = side === "before" ? patch.before : patch.after;
  let o = 0;
  for (let k = 0; k < patch.spans.length / 2; k++) {
    const start = (patch.y0 + k) * width;
    const a = patch.spans[2 * k];
    const b = patch.spans[2 * k + 1];
    data.set(ids.subarray(o, o + b - a), start + a);
    o += b - a;
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
